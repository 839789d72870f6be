"""The study report's safety part: the toxicity table and the Treg comparison (Table 5)."""

import math
from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from reports.selectors import study_report
from safety.services import healthy_control_record, treg_record
from safety.statistics import betainc, f_sf, lsd_p, mean_sd, one_way_anova, t_two_sided
from safety.tests.builders import event
from tests.factories import enrol

DAY0 = date(2026, 3, 2)


def test_f_and_t_tails_match_published_tables():
    assert f_sf(3.0, 2, 10) == pytest.approx(0.0954, abs=1e-4)
    assert f_sf(4.10, 2, 10) == pytest.approx(0.0500, abs=5e-4)  # F(0.05; 2, 10) = 4.10
    assert t_two_sided(2.228, 10) == pytest.approx(0.05, abs=2e-4)
    assert t_two_sided(1.96, 100000) == pytest.approx(0.05, abs=1e-3)
    assert betainc(2, 3, 0.5) == pytest.approx(0.6875)


def test_one_way_anova_by_hand():
    groups = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    anova = one_way_anova(groups)
    # grand mean 5; SSB = 3·9 + 0 + 3·9 = 54 (df 2); SSW = 2 + 2 + 2 = 6 (df 6); F = 27 / 1 = 27
    assert (anova.df_between, anova.df_within) == (2, 6)
    assert anova.f == pytest.approx(27.0) and anova.mse == pytest.approx(1.0)
    assert anova.p == pytest.approx(0.001)  # df1 = 2: P = (1 + 2F/df2)^(-df2/2) = 10^-3
    t = (2 - 5) / math.sqrt(1.0 * (1 / 3 + 1 / 3))
    assert lsd_p(groups[0], groups[1], anova) == pytest.approx(t_two_sided(t, 6))
    assert one_way_anova([[1, 1], [1, 1]]) is None
    assert mean_sd([5.0]) == (5.0, None) and mean_sd([4, 6])[1] == pytest.approx(math.sqrt(2))


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
