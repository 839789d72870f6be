"""The demo study shows drug monitoring: the paper's 27.7 ng/mL and the reduction, a trough due, an interaction."""

import json

import pytest

from dosing.due import troughs_due
from dosing.models import Trough
from dosing.selectors import dosing_panel
from itp_trial.management.commands.load_demo import DEMO_AS_OF, DEMO_FILE
from patients.selectors import patient_detail
from reports.importer import study_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(data_manager):
    study_import(document=json.loads(DEMO_FILE.read_text()), user=data_manager, reason="demo", today=DEMO_AS_OF)


def panel(study_id):
    return dosing_panel(patient=patient_detail(study_id=study_id), today=DEMO_AS_OF)


def test_the_high_trough_and_the_reduction_that_followed(demo):
    high = Trough.objects.get(ng_ml="27.7")
    row = next(r for r in panel(high.patient.study_id)["troughs"] if r.trough == high)
    assert (row.level, row.dose_in_force.mg_per_day, row.changed_since.isoformat()) == ("high", 2, "2026-05-12")
    assert panel(high.patient.study_id)["current"].mg_per_day == 1


def test_a_trough_is_due_and_a_level_awaits_review(demo):
    assert ("ITP-005", "week 1") in {(d.study_id, d.reason) for d in troughs_due(today=DEMO_AS_OF)}
    data = panel("ITP-002")
    assert [r.con_med.name for r in data["interactions"]] == ["Clarithromycin"]
    assert any(r.can_accept for r in data["troughs"])
    assert data["course"].kind == "taper"
    assert panel("ITP-003")["stopped_on"].isoformat() == "2026-11-21"
