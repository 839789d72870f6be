import json
import os
from datetime import date, timedelta

import pytest
from django.conf import settings

from .harness import (
    Stack,
    compose_command,
    dockerfile_collectstatic,
    empty_redis_db,
    redis_url_with_db,
    run_database,
    run_step,
    smtp_sink,
)

PASSWORD = "stack-test-Passw0rd!"
ACCOUNTS = [("nurse", "nurse", "nurse@stack.example.org", "Nora", "Nurse"),
            ("doctor", "physician", "doctor@stack.example.org", "Paul", "Physician")]
CREATE_ACCOUNTS = """
import json, os
from django.contrib.auth.models import Group, User
for username, role, email, first, last in json.loads(os.environ["STACK_ACCOUNTS"]):
    user = User.objects.create_user(username, email=email, password=os.environ["STACK_PASSWORD"],
                                    first_name=first, last_name=last)
    user.groups.add(Group.objects.get(name=role))
"""


def stack_redis_db(variable: str, default: int) -> int:
    return int(os.environ.get(variable, default))


@pytest.fixture
def stack_services(request, tmp_path):
    """A database and a Redis database of the run's own, an SMTP sink; yields a Stack (processes stopped after)."""
    redis_db = getattr(request, "param", None) or stack_redis_db("STACK_REDIS_DB", 12)
    name = f"itp_stack_{os.getpid()}_{request.node.name[:20].lower().replace('[', '_').replace(']', '')}"
    with run_database(settings.DATABASES["default"], name) as (database_url, connect), \
            empty_redis_db(redis_url_with_db(settings.CELERY_BROKER_URL, redis_db)) as broker_url, \
            smtp_sink() as (sink, email_url):
        stack = Stack(database_url=database_url, broker_url=broker_url, email_url=email_url,
                      static_root=tmp_path / "static")
        stack.sink, stack.connect = sink, connect
        try:
            yield stack
        finally:
            stack.stop_all()


def prepare(stack: Stack, timings) -> None:
    """What happens before the stack serves: migrate (compose's one-off service), collectstatic (the Dockerfile's
    build step, production settings), the study's accounts."""
    with timings.step("migrate (compose service 'migrate', production settings)"):
        run_step("migrate", compose_command("migrate"), stack.env())
    with timings.step("collectstatic (Dockerfile step, production settings, manifest storage)"):
        run_step("collectstatic", dockerfile_collectstatic(), stack.env())
    with timings.step("create the nurse and physician accounts"):
        run_step("accounts", [*compose_command("migrate")[:2], "shell", "-c", CREATE_ACCOUNTS],
                 stack.env(STACK_ACCOUNTS=json.dumps(ACCOUNTS), STACK_PASSWORD=PASSWORD))


def import_patients(stack: Stack, tmp_path, *, count: int, start: date) -> list[str]:
    """Patients enrolled through the study interchange (`import_study`), as a data manager would load them."""
    ids = [f"ITP-{n:03d}" for n in range(1, count + 1)]
    document = {"format": "itp-trial/1", "patients": [{
        "study_id": study_id, "sex": "female", "birth_date": "1970-05-02", "diagnosis_date": "2019-01-10",
        "start_date": start.isoformat(), "weight_kg": 61.5, "early_steroid_effective": True,
        "steroid_taper_at_start": False, "prior_therapies": ["glucocorticoids"],
        "visits": [{"visit": "baseline", "date": start.isoformat(), "platelets": 12, "who_bleeding_grade": 0}]}
        for study_id in ids]}
    path = tmp_path / "patients.json"
    path.write_text(json.dumps(document))
    run_step("import", [*compose_command("migrate")[:2], "import_study", str(path)], stack.env())
    return ids


def days_ago(n: int) -> date:
    return date.today() - timedelta(days=n)
