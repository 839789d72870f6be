"""The study report's safety part: the toxicity table and the Treg section."""

import math
from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from reports.selectors import study_report
from reports.statistics import one_way_anova
from safety.services import healthy_control_record, treg_record
from safety.tests.builders import event
from tests.factories import enrol

DAY0 = date(2026, 3, 2)


@pytest.mark.django_db
def test_study_report_adds_adverse_events_by_term_and_treg(nurse):
    patients = [enrol(nurse, start=DAY0), enrol(nurse, start=DAY0)]
    on = DAY0 + timedelta(days=30)
    event(patients[0], nurse, on=on, term="Mucositis oral", grade=1, today=on)
    event(patients[0], nurse, on=on, term="mucositis ORAL", grade=2, today=on)
    event(patients[1], nurse, on=on, term="Mucositis oral", grade=1, today=on)
    event(patients[1], nurse, on=on, term="Diarrhea", grade=1, today=on)
    for i, value in enumerate(("5.1", "5.3", "5.2")):
        healthy_control_record(control_id=f"HC-{i}", percent=D(value), sample_date=None, user=nurse)
    for patient, before, after in ((patients[0], "5.6", "7.9"), (patients[1], "6.0", "7.5")):
        treg_record(patient=patient, timepoint="baseline", percent=D(before), sample_date=None, user=nurse)
        treg_record(patient=patient, timepoint="month3", percent=D(after), sample_date=None, user=nurse)
    report = study_report()
    assert report["adverse_events"] == [
        {"term": "Diarrhea", "events": 1, "patients": 1, "grade1": 1, "grade2": 0, "grade3": 0, "grade4": 0,
         "grade5": 0},
        {"term": "Mucositis oral", "events": 3, "patients": 2, "grade1": 2, "grade2": 1, "grade3": 0, "grade4": 0,
         "grade5": 0},
    ]
    treg = report["treg"]
    assert treg["controls"] == {"n": 3, "mean": 5.2, "sd": 0.1}
    assert treg["before"] == {"n": 2, "mean": 5.8, "sd": round(math.sqrt(0.08), 2)}
    assert treg["after"]["mean"] == 7.7
    anova = one_way_anova([[5.1, 5.3, 5.2], [5.6, 6.0], [7.9, 7.5]])
    assert treg["anova"] == {"f": round(anova.f, 3), "df": [2, 4], "p": round(anova.p, 4)}
    assert [p["groups"] for p in treg["pairwise"]] == [["controls", "before"], ["controls", "after"],
                                                       ["before", "after"]]
    assert treg["pairwise"][1]["p"] < 0.01 < treg["pairwise"][0]["p"]
