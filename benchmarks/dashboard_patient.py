"""Benchmark: the physician's patient dashboard of a patient with a full schedule (every protocol visit recorded),
in a study of BENCH_PATIENTS generated patients, against the bare project's indexed read; and, for reference, the
product's help page (no study data: what the page shell, middleware and session cost every page).

Usage:  .venv/bin/python benchmarks/dashboard_patient.py      (wrk from Debian; PostgreSQL from DATABASE_URL or local)
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import reads  # noqa: E402

if __name__ == "__main__":
    reads.main(section="Patient dashboard", note="Patient dashboard of the patient with the most visits.", pages=[
        ("patient dashboard (full schedule, physician)", lambda seeded: f"/reports/patients/{seeded['fullest']}/"),
        # the floor every page of the product stands on: the page shell (base template, middleware, session)
        ("reference: help page, no study data (physician)", "/help/"),
    ])
