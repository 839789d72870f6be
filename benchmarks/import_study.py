"""Benchmark: `import_study` of a 2,000-patient document (8 visits each) against a bare COPY of the same rows.

Usage:  .venv/bin/python benchmarks/import_study.py [--patients 2000] [--section NAME]

The product: the `import_study` command under the production settings on a scratch database, emptied (flush)
before each round; only the command is timed (read, check, write, commit). The bare baseline, in the same
database: the same JSON file read, then the very rows the product wrote (its tables, history tables included,
copied once after the first round) written again by psycopg COPY into tables made LIKE the product's (same
columns and indexes, no foreign keys). Rounds alternate A B A B (BENCH_ROUNDS, 3); the ratio is the product's
patients per second over the baseline's in the same round. BENCH_PRODUCT_ROOT runs another checkout's code (the
"before" measurement). The table goes to benchmarks/results.md.
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import PYTHON, ROOT, ROUNDS, ScratchDatabase, machine, manage, product_env, write_section

PRODUCT_ROOT = Path(os.environ.get("BENCH_PRODUCT_ROOT", ROOT))
CODES = ("week1", "week2", "week3", "month1", "month2", "month3")
FIRST_START = date(2025, 2, 3)


def study_document(patients: int) -> dict:
    """`patients` patients as a legacy site exports them: checklist, consent, two prior therapies, baseline, six
    protocol visits and one unscheduled visit (8 visits), bleeding as grades or yes/no."""
    days = {"week1": 7, "week2": 14, "week3": 21, "month1": 28, "month2": 56, "month3": 84}
    rows = []
    for n in range(1, patients + 1):
        start = FIRST_START + timedelta(days=n % 120)
        on = lambda day, start=start: (start + timedelta(days=day)).isoformat()  # noqa: E731
        visits = [{"visit": "baseline", "date": on(0), "platelets": 8 + n % 20, "who_bleeding_grade": n % 3}]
        for i, code in enumerate(CODES):
            visit = {"visit": code, "date": on(days[code] + (n + i) % 3 - 1), "platelets": 10 + (n * 7 + i * 31) % 180}
            visit.update({"who_bleeding_grade": (n + i) % 3} if i % 2 else {"bleeding": (n + i) % 5 == 0})
            visits.append(visit)
        visits.append({"visit": "unscheduled", "date": on(10), "platelets": 20 + n % 40, "bleeding": False,
                       "haemoglobin": 118.5, "white_cells": 6.25})
        rows.append({
            "study_id": f"ITP-{n:04d}", "sex": "female" if n % 2 else "male",
            "birth_date": (date(1950, 1, 15) + timedelta(days=37 * n % 15000)).isoformat(),
            "diagnosis_date": (start - timedelta(days=200 + n % 300)).isoformat(), "start_date": start.isoformat(),
            "weight_kg": 50 + n % 40 + 0.5, "early_steroid_effective": n % 3 != 0, "steroid_taper_at_start": False,
            "prior_therapies": ["glucocorticoids", "ivig"],
            "eligibility": {"checked_on": on(-3), "primary_itp": True, "two_low_counts": True,
                            "normal_morphology": True, "no_splenomegaly": True, "megakaryocytes_normal": True,
                            "secondary_causes_excluded": True, "first_line_failed": True,
                            "second_line_washout": True, "washout_warning_acknowledged": False},
            "consent": {"date": on(-3), "form_version": "2.1", "obtained_by": "Dr Example"},
            "visits": visits,
        })
    return {"format": "itp-trial/1", "patients": rows}


# --------------------------------------------------------------------------- the product (a child process)

def child(path: str) -> None:
    """Empty the database, then time `import_study` of `path`; prints one JSON line."""
    sys.path.insert(0, str(PRODUCT_ROOT))
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    call_command("flush", interactive=False, verbosity=0)
    out = StringIO()
    started = time.perf_counter()
    call_command("import_study", path, stdout=out)
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM patients_patient")
        patients = cursor.fetchone()[0]
    print("RESULT " + json.dumps({"seconds": seconds, "patients": patients, "out": out.getvalue().strip()}))


def product_round(env: dict, path: str) -> dict:
    out = subprocess.run([PYTHON, str(Path(__file__).resolve()), "--child", path], env=env, cwd=PRODUCT_ROOT,
                         check=True, capture_output=True, text=True).stdout
    return json.loads(next(line for line in out.splitlines() if line.startswith("RESULT "))[7:])


# --------------------------------------------------------------------------- the bare baseline

class BareCopy:
    """The product's written rows, copied once, written again by COPY into LIKE tables (bare_*)."""

    def __init__(self, db_url: str):
        import psycopg

        self.connection = psycopg.connect(db_url, autocommit=True)
        self.tables: dict[str, bytes] = {}

    def capture(self) -> int:
        rows = 0
        names = [name for (name,) in self.connection.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE schemaname = 'public' AND relname NOT LIKE 'bare_%' "
            "AND n_live_tup > 0 ORDER BY relname")]
        for name in names:
            buffer = io.BytesIO()
            with self.connection.cursor().copy(f'COPY "{name}" TO STDOUT') as copy:
                for chunk in copy:
                    buffer.write(chunk)
            if buffer.tell() == 0:
                continue
            self.tables[name] = buffer.getvalue()
            rows += buffer.getvalue().count(b"\n")
            self.connection.execute(f'DROP TABLE IF EXISTS "bare_{name}"')
            self.connection.execute(f'CREATE TABLE "bare_{name}" (LIKE "{name}" INCLUDING DEFAULTS INCLUDING INDEXES)')
        return rows

    def round(self, path: str) -> float:
        for name in self.tables:
            self.connection.execute(f'TRUNCATE "bare_{name}"')
        started = time.perf_counter()
        json.loads(Path(path).read_text(encoding="utf-8"))
        with self.connection.transaction():
            cursor = self.connection.cursor()
            for name, data in self.tables.items():
                with cursor.copy(f'COPY "bare_{name}" FROM STDIN') as copy:
                    copy.write(data)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=int(os.environ.get("BENCH_IMPORT_PATIENTS", "2000")))
    parser.add_argument("--section", default="Import (import_study)")
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    started_load = machine()
    with tempfile.TemporaryDirectory() as tmp, ScratchDatabase("import") as db_url:
        path = str(Path(tmp) / "study.json")
        Path(path).write_text(json.dumps(study_document(args.patients)), encoding="utf-8")
        env = {**product_env(db_url, str(Path(tmp) / "static")), "PYTHONPATH": str(PRODUCT_ROOT)}
        manage(env, "migrate", "--noinput")
        bare = BareCopy(db_url)
        product_seconds, bare_seconds = [], []
        for number in range(1, ROUNDS + 1):
            result = product_round(env, path)
            if result["patients"] != args.patients:
                raise SystemExit(f"the product imported {result['patients']} patients: {result['out']}")
            if not bare.tables:
                print(f"  rows written by the product: {bare.capture()} in {len(bare.tables)} tables", flush=True)
            product_seconds.append(result["seconds"])
            bare_seconds.append(bare.round(path))
            print(f"  import round {number}: product {product_seconds[-1]:.2f} s "
                  f"({args.patients / product_seconds[-1]:.0f} patients/s) | bare COPY {bare_seconds[-1]:.2f} s"
                  f" | ratio {bare_seconds[-1] / product_seconds[-1]:.3f}", flush=True)
        bare.connection.close()
    ratios = [b / p for p, b in zip(product_seconds, bare_seconds, strict=True)]
    header = ("| path | patients | rounds | median ratio | spread (min–max) | product patients/s | bare patients/s "
              "| product s (median) | bare s (median) |\n|---|---|---|---|---|---|---|---|---|")
    row = (f"| import_study (8 visits each) | {args.patients} | {len(ratios)} | {statistics.median(ratios):.3f} | "
           f"{min(ratios):.3f}–{max(ratios):.3f} | {args.patients / statistics.median(product_seconds):.0f} | "
           f"{args.patients / statistics.median(bare_seconds):.0f} | {statistics.median(product_seconds):.2f} | "
           f"{statistics.median(bare_seconds):.2f} |")
    note = ("Ratio: the product's patients per second over a bare COPY of the same rows (history rows included) "
            "into tables LIKE the product's, after reading the same JSON file; one process, production settings. "
            "The machine was shared with other work while measuring: compare ratios, not absolute rates.")
    print(write_section(args.section, header, [row], note, started_load))


if __name__ == "__main__":
    main()
