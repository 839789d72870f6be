"""Benchmark: the reminder scan (`scan_reminders`' reminders_scan) over 10,000 patients against a bare indexed scan.

Usage:  .venv/bin/python benchmarks/reminder_scan.py [--patients 10000] [--section NAME]

In process, production settings, on a scratch database: `patients` enrolled-looking patients with their protocol
slots (bulk, day 0 spread over 28 days, so visits and safety labs are due in every state). Each round the scan
runs on an empty inbox (the previous round's reminders and outbox messages removed), so every round creates the
same reminders; it is timed (wall and the process's CPU time) with the queries it issues; the record types are
imported before the first round. The bare baseline, in the same database: the same slots
copied to a table with an index on the window, and the slots whose window holds the day read by one indexed
SELECT. Rounds alternate A B A B (BENCH_ROUNDS, 3). BENCH_PRODUCT_ROOT runs another checkout's code.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import ROOT, ROUNDS, ScratchDatabase, machine, manage, product_env, write_section

PRODUCT_ROOT = Path(os.environ.get("BENCH_PRODUCT_ROOT", ROOT))
DAY0 = date(2026, 3, 2)
SCAN_DAY = DAY0 + timedelta(days=20)


def load(patients: int) -> None:
    from django.contrib.auth import get_user_model

    from patients.models import Patient
    from visits.models import ScheduledVisit
    from visits.schedule import PROTOCOL_SCHEDULE

    user = get_user_model().objects.create(username="bench")
    rows = Patient.objects.bulk_create([
        Patient(study_id=f"ITP-{i:05d}", sex="female", birth_date=date(1975, 6, 1),
                diagnosis_date=DAY0 - timedelta(days=400), start_date=DAY0 - timedelta(days=i % 28),
                schedule_version=PROTOCOL_SCHEDULE.version, enrolled_by=user)
        for i in range(1, patients + 1)], batch_size=2000)
    ScheduledVisit.objects.bulk_create([
        ScheduledVisit(patient=p, code=v.code, target_date=v.target(p.start_date), earliest=v.earliest(p.start_date),
                       latest=v.latest(p.start_date))
        for p in rows for v in PROTOCOL_SCHEDULE.visits], batch_size=5000)


def product_round() -> tuple[float, float, int, int]:
    from django.db import connection, reset_queries

    from inbox.models import OutboxMessage, Reminder
    from inbox.scan import reminders_scan

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {OutboxMessage._meta.db_table}, {Reminder._meta.db_table} CASCADE")
    connection.force_debug_cursor = True
    reset_queries()
    started, started_cpu = time.perf_counter(), time.process_time()
    created = reminders_scan(today=SCAN_DAY)
    seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    queries = len(connection.queries)
    connection.force_debug_cursor = False
    return seconds, cpu, created, queries


def bare_setup() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bare_slots")
        cursor.execute("CREATE TABLE bare_slots AS SELECT id, patient_id, code, target_date, earliest, latest "
                       "FROM visits_scheduledvisit")
        cursor.execute("CREATE INDEX bare_slots_window ON bare_slots (earliest, latest)")
        cursor.execute("ANALYZE bare_slots")


def bare_round() -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT patient_id, code, target_date, latest FROM bare_slots WHERE earliest <= %s "
                       "AND latest >= %s ORDER BY patient_id, target_date", [SCAN_DAY, SCAN_DAY])
        cursor.fetchall()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=int(os.environ.get("BENCH_SCAN_PATIENTS", "10000")))
    parser.add_argument("--section", default="Reminder scan (scan_reminders)")
    args = parser.parse_args()
    started_load = machine()
    with tempfile.TemporaryDirectory() as tmp, ScratchDatabase("scan") as db_url:
        env = {**product_env(db_url, str(Path(tmp) / "static")), "PYTHONPATH": str(PRODUCT_ROOT)}
        manage(env, "migrate", "--noinput")
        os.environ.update(env)
        sys.path.insert(0, str(PRODUCT_ROOT))
        os.chdir(PRODUCT_ROOT)  # Celery puts the working directory first on sys.path when the project loads it
        import django

        django.setup()
        load(args.patients)
        bare_setup()
        from casebook.registry import record_types

        record_types()  # the record types' modules imported once, as in a running worker, not in the first round
        product, cpu, bare, created, queries = [], [], [], set(), set()
        for number in range(1, ROUNDS + 1):
            seconds, used, made, asked = product_round()
            product.append(seconds)
            cpu.append(used)
            created.add(made)
            queries.add(asked)
            bare.append(bare_round())
            print(f"  scan round {number}: product {product[-1]:.2f} s, CPU {used:.2f} s ({made} reminders, "
                  f"{asked} queries) | "
                  f"bare {bare[-1] * 1000:.1f} ms | ratio {bare[-1] / product[-1]:.4f}", flush=True)
        from django.db import connections

        connections.close_all()
    ratios = [b / p for p, b in zip(product, bare, strict=True)]
    header = ("| path | patients | rounds | median ratio | spread (min–max) | product s (median) | bare ms (median) "
              "| reminders created | queries | product CPU s (median) |\n|---|---|---|---|---|---|---|---|---|---|")
    row = (f"| reminder scan | {args.patients} | {len(ratios)} | {statistics.median(ratios):.4f} | "
           f"{min(ratios):.4f}–{max(ratios):.4f} | {statistics.median(product):.2f} | "
           f"{statistics.median(bare) * 1000:.1f} | {', '.join(map(str, sorted(created)))} | "
           f"{', '.join(map(str, sorted(queries)))} | {statistics.median(cpu):.2f} |")
    note = ("Ratio: the bare indexed read's time over the scan's (the scan also writes the reminders and their "
            "outbox messages); in process, production settings; product CPU: the scan's own process time (the "
            "database server's work not included), less sensitive to the machine's load than its wall time. The "
            "machine was shared with other work while measuring: compare ratios, not absolute times.")
    print(write_section(args.section, header, [row], note, started_load))


if __name__ == "__main__":
    main()
