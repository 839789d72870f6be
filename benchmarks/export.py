"""Benchmark: the visits CSV export against a bare PostgreSQL COPY of the same columns, same run.

Usage:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/itp_trial_bench .venv/bin/python benchmarks/export.py
(default database: itp_trial_bench on 127.0.0.1, created and migrated if missing; its data is replaced).

For 20,000 and 200,000 synthetic visit rows it prints, for each way of producing the CSV:
seconds (best of 3), MB/s, the ratio to the bare COPY, and the peak Python memory (tracemalloc) while
streaming. The export under test is the code the page and `export_csv` run (reports.exporting).
"""

import os
import sys
import time
import tracemalloc
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/itp_trial_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itp_trial.settings.local")

SIZES = (20_000, 200_000)
VISITS_PER_PATIENT = 8
REPEAT = 3


def ensure_database(url: str) -> None:
    from urllib.parse import urlparse

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    with psycopg.connect(host=parsed.hostname, port=parsed.port or 5432, user=parsed.username or "postgres",
                         dbname="postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def load(rows: int) -> None:
    """Replace the study with synthetic patients holding `rows` visits (bulk insert, not the services)."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from patients.models import Patient
    from visits.models import ScheduledVisit, Visit
    from visits.schedule import PROTOCOL_SCHEDULE

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE visits_visit, visits_scheduledvisit, visits_responsesummary, patients_patient,"
                       " visits_historicalvisit, patients_historicalpatient CASCADE")
    user, _ = get_user_model().objects.get_or_create(username="bench")
    patients = rows // VISITS_PER_PATIENT
    start = date(2024, 1, 1)
    Patient.objects.bulk_create(
        Patient(study_id=f"ITP-{n:06d}", sex="female" if n % 3 else "male", birth_date=date(1970, 1, 1),
                diagnosis_date=date(2022, 1, 1), start_date=start + timedelta(days=n % 300),
                schedule_version="1.0", enrolled_by=user)
        for n in range(1, patients + 1)
    )
    ids = list(Patient.objects.order_by("id").values_list("id", "start_date"))
    visit_defs = PROTOCOL_SCHEDULE.visits[:VISITS_PER_PATIENT]
    slots = [ScheduledVisit(patient_id=pid, code=v.code, target_date=v.target(day0), earliest=v.earliest(day0),
                            latest=v.latest(day0)) for pid, day0 in ids for v in visit_defs]
    ScheduledVisit.objects.bulk_create(slots, batch_size=10_000)
    slot_ids = ScheduledVisit.objects.order_by("patient_id", "target_date").values_list("id", "patient_id",
                                                                                         "target_date")
    Visit.objects.bulk_create(
        (Visit(patient_id=pid, slot_id=sid, visit_date=target, platelets=Decimal(10 + (sid * 7) % 190),
               bleeding_grade=sid % 2, category=("NR", "R", "CR")[sid % 3], haemoglobin=Decimal("121.5"))
         for sid, pid, target in slot_ids.iterator(chunk_size=10_000)),
        batch_size=10_000,
    )


def bare_copy_sql() -> str:
    return """
        SELECT p.study_id, COALESCE(s.code, 'unscheduled'), v.visit_date, v.visit_date - p.start_date,
               v.platelets, v.bleeding_grade >= 1, v.bleeding_grade, v.haemoglobin, v.white_cells, v.category,
               v.in_rescue_window, v.out_of_window_days
        FROM visits_visit v JOIN patients_patient p ON p.id = v.patient_id
        LEFT JOIN visits_scheduledvisit s ON s.id = v.slot_id ORDER BY p.study_id, v.visit_date, v.id
    """


def bare_copy() -> int:
    from django.db import connection

    size = 0
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY ({bare_copy_sql()}) TO STDOUT WITH (FORMAT csv)") as copy:
        for block in copy:
            size += len(block)
    return size


def measure(produce) -> tuple[float, int, int]:
    best = float("inf")
    size = 0
    for _ in range(REPEAT):
        began = time.perf_counter()
        size = produce()
        best = min(best, time.perf_counter() - began)
    tracemalloc.start()
    produce()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return best, size, peak


def main() -> None:
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    from reports.datasets import DATASETS
    from reports.exporting import dataset_csv, python_csv

    call_command("migrate", verbosity=0)
    dataset = DATASETS["visits"]
    ways = {
        "bare COPY (baseline)": bare_copy,
        "export (page and export_csv)": lambda: sum(len(c) for c in dataset_csv(dataset)),
        "python writer (SQLite path)": lambda: sum(len(c) for c in python_csv(dataset)),
    }
    print(f"{'rows':>8}  {'way':<30} {'seconds':>8} {'MB/s':>7} {'ratio':>6} {'peak MiB':>9}")
    for rows in SIZES:
        load(rows)
        results = {name: measure(produce) for name, produce in ways.items()}
        base_seconds = results["bare COPY (baseline)"][0]
        for name, (seconds, size, peak) in results.items():
            print(f"{rows:>8}  {name:<30} {seconds:>8.3f} {size / seconds / 1e6:>7.1f} "
                  f"{base_seconds / seconds:>6.2f} {peak / 2**20:>9.2f}")
    print("ratio = throughput relative to the bare COPY in the same run (1.00 = as fast)")


if __name__ == "__main__":
    main()
