"""Benchmark: the physician's patient dashboard of a patient with a full schedule (every protocol visit recorded),
in a study of BENCH_PATIENTS generated patients, against the bare project's indexed read.

Usage:  .venv/bin/python benchmarks/dashboard_patient.py      (wrk from Debian; PostgreSQL from DATABASE_URL or local)
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import reads  # noqa: E402

if __name__ == "__main__":
    reads.main(section="Patient dashboard", note="Patient dashboard of the patient with the most visits.", pages=[
        ("patient dashboard (full schedule, physician)", lambda seeded: f"/reports/patients/{seeded['fullest']}/"),
    ])
