"""What the read benchmarks share (patient dashboard, study dashboard, study report): a product with a generated
study of BENCH_PATIENTS patients (bulk inserts: benchmarks.study_data) and a physician's session, the bare project
with as many rows for its indexed read (`/read/<key>/`), and GET requests through wrk, A B A B.

Each script names the product's pages to measure; a page the product does not have (an older commit) is left
out of the table with a note, so the same scripts measure before and after a change.
"""

import json
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import harness  # noqa: E402

PATIENTS = int(os.environ.get("BENCH_PATIENTS", "2000"))
CONNECTIONS = int(os.environ.get("BENCH_READ_CONNECTIONS", "8"))
TODAY = date.today()

GET_LUA = """
local paths = {%(paths)s}
wrk.method = "GET"
wrk.headers["Cookie"] = "%(cookie)s"
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""

BARE_LUA = """
request = function()
  return wrk.format("GET", "/read/" .. math.random(1, %(rows)d) .. "/")
end
"""


def seed() -> None:
    """In the product's settings: a physician, the generated study, a session; prints what the pages need."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from benchmarks.study_data import build_study
    from patients.models import Patient

    physician = get_user_model().objects.create_user("bench-physician", password=os.urandom(16).hex())
    physician.groups.add(Group.objects.get(name="physician"))
    build_study(PATIENTS, user=physician, today=TODAY)
    with connection.cursor() as cursor:
        # The planner's statistics, as autovacuum keeps them on a running server (this one may run without it):
        # measured right after bulk inserts, every plan would be a guess.
        cursor.execute("ANALYZE")
    fullest = Patient.objects.annotate(n=Count("visits")).order_by("-n", "study_id").first()
    client = Client()
    client.force_login(physician)
    print(json.dumps({"session": client.cookies["sessionid"].value, "fullest": fullest.study_id,
                      "visits": fullest.n}))


def seed_bare(env: dict, rows: int) -> None:
    """The bare project's table with `rows` rows (one per key) for its indexed read."""
    import psycopg

    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        conn.execute("INSERT INTO bare_entry (key, entry_date, value, created_at) SELECT n, "
                     "DATE '2025-01-06' + n %% 300, (n %% 400)::numeric, now() FROM generate_series(1, %s) AS n",
                     (rows,))
        conn.execute("ANALYZE bare_entry")


def answers(url: str, cookie: str) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def run(*, section: str, pages, note: str) -> None:
    """Measure each (label, path or function of the seed's answer) of `pages` against the bare read; the table goes
    to `section` of benchmarks/results.md."""
    harness.need_wrk()
    load = harness.machine()
    with harness.ScratchDatabase("product") as product_db, harness.ScratchDatabase("bare") as bare_db, \
            tempfile.TemporaryDirectory() as static_root:
        print(f"preparing the product (migrate, collectstatic, {PATIENTS} patients) and the bare project", flush=True)
        product_env = harness.prepare_product(product_db, static_root)
        seeded = json.loads(subprocess.run([harness.PYTHON, str(Path(__file__).resolve()), "--seed"],
                                           env={**product_env, "BENCH_PATIENTS": str(PATIENTS)}, check=True,
                                           capture_output=True, text=True, cwd=harness.ROOT).stdout)
        bare_env = harness.prepare_bare(bare_db)
        rows = PATIENTS * 8
        seed_bare(bare_env, rows)
        cookie = f"sessionid={seeded['session']}"
        comparisons, left_out = [], []
        with harness.Server("product", "itp_trial.wsgi:application", product_env) as product, \
                harness.Server("bare", "benchmarks.bare.wsgi:application", bare_env) as bare:
            bare_lua = BARE_LUA % {"rows": rows}
            assert answers(f"{bare.url}/read/1/", "") == 200, "the bare read answers"
            harness.wrk(bare.url, bare_lua, CONNECTIONS, seconds=2)
            for label, path in pages:
                path = path(seeded) if callable(path) else path
                status = answers(product.url + path, cookie)
                if status != 200:
                    print(f"  {label}: {path} answers {status}; left out", flush=True)
                    left_out.append(f"{label} ({path}: {status})")
                    continue
                lua = GET_LUA % {"paths": f'"{path}"', "cookie": cookie}
                harness.wrk(product.url, lua, CONNECTIONS, seconds=2)  # warm up
                comparisons.append(harness.interleave(
                    label, CONNECTIONS, lambda lua=lua: harness.wrk(product.url, lua, CONNECTIONS),
                    lambda: harness.wrk(bare.url, bare_lua, CONNECTIONS)))
    missing = f" Left out (not in this version): {'; '.join(left_out)}." if left_out else ""
    text = (f"{note} {PATIENTS} generated patients (benchmarks/study_data.py); bare: one indexed read of "
            f"{rows} rows (`/read/<key>/`, random keys); a physician's session; gunicorn {harness.WORKERS} sync "
            f"workers each; {harness.SECONDS} s per measurement.{missing} The machine was shared with other work "
            "while measuring: compare ratios, not absolute rates.")
    print(harness.write_results(section, comparisons, text, load))


def main(*, section: str, pages, note: str) -> None:
    if sys.argv[1:] == ["--seed"]:
        seed()
    else:
        run(section=section, pages=pages, note=note)


if __name__ == "__main__" and sys.argv[1:] == ["--seed"]:
    seed()
