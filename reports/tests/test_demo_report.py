"""The demo study (`make run`) fills every table and figure of the study report: nothing the data could give is
left empty, and each statistic is the one scipy/statsmodels give on the demo's own numbers."""

import json

import numpy as np
import pytest
from scipy import stats

from itp_trial.management.commands.load_demo import DEMO_AS_OF, DEMO_FILE
from reports.importer import study_import
from reports.selectors import study_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(data_manager):
    study_import(document=json.loads(DEMO_FILE.read_text()), user=data_manager, reason="demo", today=DEMO_AS_OF)
    return study_report(today=DEMO_AS_OF)


def test_every_table_of_the_demo_is_filled(report):
    json.dumps(report, allow_nan=False)
    table1 = report["table1"]
    assert table1["n"] == 20 and table1["age"]["children"]["ages"] == [13, 14]
    assert table1["sex"]["male"] == {"n": 6, "percent": 30.0} and table1["age"]["le40"]["n"] == 6
    assert all(t["n"] for t in report["timepoints"]) and report["baseline"]["n"] == 20
    test = report["table2_test"]
    assert test["p"] < 0.001 and test["note"] is None and test["method"] in ("exact", "monte_carlo")
    month6 = report["table2_rates"][-1]
    assert (month6["responders"], month6["evaluated"], month6["enrolled"]) == (9, 11, 16)
    normality = report["table3_normality"]
    assert normality["decision"] == "friedman" and all(t["p"] is not None for t in normality["timepoints"])
    assert report["friedman"]["n"] == 11
    assert report["table4"]["note"] is None and len(report["table4"]["factors"]) == 4
    table5 = report["table5"]
    assert table5["overall"]["p"] is not None and all(c["p"] is not None for c in table5["comparisons"])
    assert all(row["median"] is not None and row["q1"] is not None for row in report["figure2"])


def test_the_demos_table3_and_table5_against_scipy(report):
    complete = []
    document = json.loads(DEMO_FILE.read_text())
    codes = ["baseline", "week1", "week2", "week3", "month1", "month2", "month3", "month6"]
    controls = [c["treg"] for c in document["controls"]]
    before, after, pairs = [], [], []
    for p in document["patients"]:
        counts = {v["visit"]: v["platelets"] for v in p["visits"]}
        if all(code in counts for code in codes):
            complete.append([counts[code] for code in codes])
        if "treg_before" in p:
            before.append(p["treg_before"])
        if "treg_after" in p:
            after.append(p["treg_after"])
        if "treg_before" in p and "treg_after" in p:
            pairs.append((p["treg_before"], p["treg_after"]))
    friedman = stats.friedmanchisquare(*np.array(complete, dtype=float).T)
    assert report["friedman"]["chi2"] == round(friedman.statistic, 4)
    assert report["friedman"]["p"] == pytest.approx(friedman.pvalue, rel=1e-9)
    assert report["table5"]["overall"]["f"] == pytest.approx(stats.f_oneway(controls, before, after).statistic)
    paired = stats.ttest_rel(*zip(*pairs, strict=True))
    assert report["table5"]["comparisons"][2]["p"] == pytest.approx(paired.pvalue, rel=1e-9)
