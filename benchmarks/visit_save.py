"""Benchmark: a visit save through the real form view, as a logged-in nurse, against a bare one-INSERT view.

Usage:  .venv/bin/python benchmarks/visit_save.py      (wrk from Debian; PostgreSQL from DATABASE_URL or local)

The product (production settings, gunicorn, two scratch databases it creates and drops) gets PATIENTS enrolled
patients; each POST records an unscheduled visit for a random one of them (many patients: no single hot row), with
the session cookie, the CSRF token the form page gave, and a fresh one-time submission token (the form's hidden
`token`: a new UUID per page, which the write path claims). The bare project's view inserts one row from the
same body. At 8 and 16 connections, A B A B for BENCH_ROUNDS rounds; the table goes to benchmarks/results.md.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.request
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import harness  # noqa: E402

PATIENTS = int(os.environ.get("BENCH_PATIENTS", "1000"))
START = date(2025, 1, 6)
CONNECTIONS = (8, 16)


def seed() -> None:
    """In the product's settings: a nurse, PATIENTS patients with their schedule and baseline visit, a session."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from patients.models import Patient
    from visits.models import ScheduledVisit, Visit
    from visits.schedule import BASELINE, PROTOCOL_SCHEDULE

    nurse = get_user_model().objects.create_user("bench-nurse", password=os.urandom(16).hex())
    nurse.groups.add(Group.objects.get(name="nurse"))
    Patient.objects.bulk_create(
        Patient(study_id=f"B-{n:05d}", sex="female" if n % 3 else "male", birth_date=date(1970, 1, 1),
                diagnosis_date=date(2023, 1, 1), start_date=START, schedule_version="1.0", enrolled_by=nurse)
        for n in range(1, PATIENTS + 1))
    ids = list(Patient.objects.values_list("id", flat=True))
    ScheduledVisit.objects.bulk_create(
        (ScheduledVisit(patient_id=pid, code=v.code, target_date=v.target(START), earliest=v.earliest(START),
                        latest=v.latest(START)) for pid in ids for v in PROTOCOL_SCHEDULE.visits), batch_size=5000)
    Visit.objects.bulk_create(
        Visit(patient_id=pid, slot_id=sid, visit_date=START, platelets=15, bleeding_grade=0, category="NR")
        for sid, pid in ScheduledVisit.objects.filter(code=BASELINE).values_list("id", "patient_id"))
    client = Client()
    client.force_login(nurse)
    print(json.dumps({"session": client.cookies["sessionid"].value,
                      "study_ids": list(Patient.objects.order_by("id").values_list("study_id", flat=True))}))


def form_tokens(server: harness.Server, session: str, path: str) -> tuple[str, str]:
    """Open the form page as the nurse: the CSRF cookie and the form's masked CSRF token (and check the page)."""
    request = urllib.request.Request(server.url + path, headers={"Cookie": f"sessionid={session}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        page = response.read().decode()
        cookie = re.search(r"csrftoken=([^;]+)", response.headers.get("Set-Cookie", "")).group(1)
    assert 'name="token"' in page, "the visit form carries a one-time token"
    return cookie, re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


LUA = """
local paths = {%(paths)s}
local headers = {["Cookie"] = "%(cookie)s", ["Content-Type"] = "application/x-www-form-urlencoded"}
local csrf = "%(csrf)s"
local first_day = %(first_day)d
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(seed * 104729 + os.time())
end

local function hex(n)
  local digits = {}
  for i = 1, n do digits[i] = string.format("%%x", math.random(0, 15)) end
  return table.concat(digits)
end

request = function()
  local number = math.random(#paths)
  local token = hex(8) .. "-" .. hex(4) .. "-4" .. hex(3) .. "-a" .. hex(3) .. "-" .. hex(12)
  local body = "csrfmiddlewaretoken=" .. csrf .. "&token=" .. token .. "&key=" .. number
    .. "&visit_date=" .. os.date("!%%Y-%%m-%%d", first_day + math.random(1, 300) * 86400)
    .. "&platelets=" .. math.random(5, 400) .. "&bleeding_grade=0"
  return wrk.format("POST", paths[number], headers, body)
end
"""


def lua(paths: list[str], cookie: str, csrf: str) -> str:
    first_day = int(datetime(START.year, START.month, START.day).timestamp())
    return LUA % {"paths": ", ".join(f'"{p}"' for p in paths), "cookie": cookie, "csrf": csrf,
                  "first_day": first_day}


def check_once(url: str, path: str, cookie: str, csrf: str, session: str | None) -> None:
    """One save by hand before the load: it must answer with a redirect (saved), not the form again."""
    body = (f"csrfmiddlewaretoken={csrf}&token=5f0c1d2e-3a4b-4c5d-8e6f-{os.getpid():012x}&key=1"
            f"&visit_date={START + timedelta(days=3)}&platelets=40&bleeding_grade=0").encode()
    cookies = f"csrftoken={cookie}" + (f"; sessionid={session}" if session else "")
    request = urllib.request.Request(url + path, data=body, method="POST", headers={
        "Cookie": cookies, "Content-Type": "application/x-www-form-urlencoded"})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        urllib.request.build_opener(NoRedirect).open(request, timeout=30)
        raise SystemExit(f"{url}{path}: the save did not redirect")
    except urllib.error.HTTPError as answer:
        if answer.code != 302:
            raise SystemExit(f"{url}{path}: {answer.code} instead of a redirect") from None


def main() -> None:
    harness.need_wrk()
    load = harness.machine()
    with harness.ScratchDatabase("product") as product_db, harness.ScratchDatabase("bare") as bare_db, \
            tempfile.TemporaryDirectory() as static_root:
        print("preparing the product (migrate, collectstatic, seed) and the bare project", flush=True)
        product_env = harness.prepare_product(product_db, static_root)
        seeded = json.loads(subprocess.run([harness.PYTHON, __file__, "--seed"], env=product_env, check=True,
                                           capture_output=True, text=True, cwd=harness.ROOT).stdout)
        bare_env = harness.prepare_bare(bare_db)
        session = seeded["session"]
        paths = [f"/patients/{study_id}/visits/new/unscheduled/" for study_id in seeded["study_ids"]]
        with harness.Server("product", "itp_trial.wsgi:application", product_env) as product, \
                harness.Server("bare", "benchmarks.bare.wsgi:application", bare_env) as bare:
            cookie, csrf = form_tokens(product, session, paths[0])
            check_once(product.url, paths[0], cookie, csrf, session)
            check_once(bare.url, "/insert/", cookie, csrf, None)
            product_lua = lua(paths, f"sessionid={session}; csrftoken={cookie}", csrf)
            bare_lua = lua(["/insert/"], f"csrftoken={cookie}", csrf)
            harness.wrk(product.url, product_lua, 8, seconds=2)  # warm both up (connections, caches)
            harness.wrk(bare.url, bare_lua, 8, seconds=2)
            comparisons = [
                harness.interleave("visit save (unscheduled, nurse, form view)", connections,
                                   lambda c=connections: harness.wrk(product.url, product_lua, c),
                                   lambda c=connections: harness.wrk(bare.url, bare_lua, c))
                for connections in CONNECTIONS]
    note = (f"Visit save: {PATIENTS} patients, unscheduled visits at random ones; gunicorn {harness.WORKERS} sync "
            f"workers each; {harness.SECONDS} s per measurement. The machine was shared with other work while "
            f"measuring: compare ratios, not absolute rates.")
    print(harness.write_results("Visit save", comparisons, note, load))


if __name__ == "__main__":
    if sys.argv[1:] == ["--seed"]:
        seed()
    else:
        main()
