"""Load the demo study (through import_study) and one demo user per role. For `make run` only."""

import json
import tempfile
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand

from itp_trial.clock import study_today
from itp_trial.role_sync import roles_sync
from itp_trial.roles import ROLES
from patients.models import Patient

DEMO_FILE = Path(settings.BASE_DIR) / "demo" / "study.json"
# The demo file's dates are written as of this day; they are moved so that it becomes today.
DEMO_AS_OF = date(2026, 11, 25)
DEMO_NAMES = {
    "nurse": ("Nora", "Nurse"),
    "physician": ("Peter", "Physician"),
    "monitor": ("Mona", "Monitor"),
    "data_manager": ("Dana", "Manager"),
}


def demo_password(role_code: str) -> str:
    return f"demo-{role_code.replace('_', '-')}"


def shift_dates(obj, days: int):
    """Move every YYYY-MM-DD string in the document by `days` (other values untouched)."""
    if isinstance(obj, dict):
        return {k: shift_dates(v, days) for k, v in obj.items()}
    if isinstance(obj, list):
        return [shift_dates(v, days) for v in obj]
    if isinstance(obj, str) and len(obj) == 10 and obj[4] == "-" and obj[7] == "-":
        try:
            return (date.fromisoformat(obj) + timedelta(days=days)).isoformat()
        except ValueError:
            return obj
    return obj


class Command(BaseCommand):
    help = "Create demo users (one per role) and load the demo study once."

    def handle(self, *args, **options):
        roles_sync()
        User = get_user_model()
        for role in ROLES:
            first, last = DEMO_NAMES[role.code]
            user, created = User.objects.get_or_create(
                username=role.code.replace("_", ""), defaults={"first_name": first, "last_name": last}
            )
            if created:
                user.set_password(demo_password(role.code))
                user.save()
            user.groups.add(Group.objects.get(name=role.code))
        if Patient.objects.exists():
            self.stdout.write("demo study: patients already present, not loaded again")
        else:
            days = (study_today() - DEMO_AS_OF).days
            document = shift_dates(json.loads(DEMO_FILE.read_text()), days)
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "demo-study.json"
                path.write_text(json.dumps(document))
                call_command("import_study", str(path), stdout=self.stdout)
            call_command("scan_reminders", stdout=self.stdout)  # fills the demo inboxes, as the daily scan would
        self.stdout.write("")
        self.stdout.write("Log in at http://127.0.0.1:8000/ as:")
        for role in ROLES:
            username = role.code.replace("_", "")
            self.stdout.write(f"  {role.label:<14} user {username:<12} password {demo_password(role.code)}")
