"""Benchmark: the study report (the page with Tables 1-5, and its JSON download) at BENCH_PATIENTS (2,000)
generated patients, against the bare project's indexed read.

Usage:  .venv/bin/python benchmarks/study_report.py      (wrk from Debian; PostgreSQL from DATABASE_URL or local)
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import reads  # noqa: E402

if __name__ == "__main__":
    reads.main(section="Study report", note="Study report: the page, then the JSON download.", pages=[
        ("study report page (physician)", "/reports/response/"),
        ("study report JSON (physician)", "/reports/response/study-report.json"),
    ])
