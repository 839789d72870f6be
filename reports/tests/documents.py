"""Builders of study interchange documents (SPEC §6) for the reports tests."""

import copy
import json
from datetime import date, timedelta

START = date(2025, 1, 6)  # day 0 of every patient unless told otherwise
TODAY = date(2025, 12, 31)  # "today" for the pure validation tests


def on(day: int, start: date = START) -> str:
    """The ISO date of study day `day`."""
    return (start + timedelta(days=day)).isoformat()


def visit(code: str, day: int, platelets, *, start: date = START, **extra) -> dict:
    """A visit on study day `day`; bleeding documented absent unless `extra` says otherwise."""
    values = {"visit": code, "date": on(day, start), "platelets": platelets}
    if "bleeding" not in extra and "who_bleeding_grade" not in extra:
        values["bleeding"] = False
    values.update(extra)
    return {k: v for k, v in values.items() if v is not ...}  # `...` removes a key


def patient(number: int, *, baseline=12, visits=(), start: date = START, **extra) -> dict:
    record = {
        "study_id": f"ITP-{number:03d}", "sex": "female", "birth_date": "1970-05-02",
        "diagnosis_date": "2019-01-10", "start_date": start.isoformat(), "weight_kg": 61.5,
        "early_steroid_effective": True, "steroid_taper_at_start": False,
        "prior_therapies": ["glucocorticoids", "tpo_ra"],
        "visits": [visit("baseline", 0, baseline, start=start), *visits],
    }
    record.update(extra)
    return {k: v for k, v in record.items() if v is not ...}


def document(*patients: dict, **extra) -> dict:
    return {"format": "itp-trial/1", "patients": list(patients), **extra}


def simple_document() -> dict:
    """One patient: baseline 12, week1 25, week2 46 (bleeding absent throughout)."""
    return document(patient(1, visits=[visit("week1", 7, 25), visit("week2", 14, 46)]))


def edited(doc: dict, edit) -> dict:
    """A deep copy of `doc` changed in place by `edit(copy)`."""
    doc = copy.deepcopy(doc)
    edit(doc)
    return doc


def write(tmp_path, doc, name: str = "study.json") -> str:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return str(path)
