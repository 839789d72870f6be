"""Benchmark: the study dashboard's first page (50 patients) at BENCH_PATIENTS (2,000) generated patients, and the
whole-study section it loads beside the grid (counts per visit, Tables 2-3), against the bare project's indexed
read.

Usage:  .venv/bin/python benchmarks/dashboard_study.py      (wrk from Debian; PostgreSQL from DATABASE_URL or local)
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import reads  # noqa: E402

if __name__ == "__main__":
    reads.main(section="Study dashboard", note="Study dashboard: the first page, then its whole-study section.",
               pages=[("study dashboard, first page (physician)", "/reports/dashboard/"),
                      ("study dashboard, whole-study counts and Tables 2-3", "/reports/dashboard/summary/?part=1")])
