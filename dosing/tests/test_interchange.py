"""Importing `doses` and `troughs` (SPEC §6): all or nothing, every problem with its JSON path."""

from datetime import date
from decimal import Decimal

import pytest

from dosing.models import ConMed, DoseChange, Trough
from reports.importer import ImportRefused, study_import
from reports.tests.documents import document, on, patient

REASON = "migration of the legacy spreadsheet"
TODAY = date(2025, 12, 31)
pytestmark = pytest.mark.django_db


def run(doc, user):
    return study_import(document=doc, user=user, reason=REASON, today=TODAY)


def problems_of(doc, user) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        run(doc, user)
    return refused.value.problems


def test_doses_and_troughs_are_written_in_order_with_derived_phases(nurse):
    doc = document(patient(
        1,
        doses=[{"date": on(0), "mg_per_day": 2}, {"date": on(10), "mg_per_day": 1, "reason": "trough 27.7"},
               {"date": on(90), "mg_per_day": 0, "reason": "no response"}],
        troughs=[{"date": on(7), "ng_ml": 27.7, "time": "08:30", "hours_since_dose": 24, "lab": "Central"},
                 {"date": on(28), "ng_ml": 9.1}],
    ))
    result = run(doc, nurse)
    assert result.other_records == 5
    doses = list(DoseChange.objects.order_by("start_date").values_list("mg_per_day", "phase", "change_reason"))
    assert doses == [(2, "start", ""), (1, "adjustment", "trough 27.7"), (0, "stop", "no response")]
    first = Trough.objects.order_by("sample_date").first()
    assert (first.ng_ml, first.sample_time.isoformat(), first.hours_since_dose, first.lab) == (
        Decimal("27.7"), "08:30:00", Decimal(24), "Central")
    created = DoseChange.history.filter(history_type="+").first()
    assert (created.history_user, created.history_change_reason) == (nurse, REASON)


def test_problems_carry_their_json_path_and_nothing_is_written(nurse):
    doc = document(
        patient(1, doses=[{"date": on(0), "mg_per_day": 2}], troughs=[{"date": on(7), "ng_ml": 8.0}]),
        patient(2, doses=[{"date": on(0), "mg_per_day": 2}]),
        patient(3, doses=[{"date": on(1), "mg_per_day": "2"}, {"date": on(5), "mg_per_day": 6, "dose": 1}],
                troughs=[{"date": on(7), "ng_ml": "8.4"}, {"ng_ml": 8.0, "time": "8h"}, "x"]),
    )
    assert problems_of(doc, nurse) == [
        "patients[2].doses[0].mg_per_day: must be a number",
        "patients[2].doses[0].date: the first dose must be on the start date 2025-01-06 (day 0)",
        "patients[2].doses[1]: unknown key 'dose'",
        "patients[2].doses[1].mg_per_day: 6 mg/day is outside the adult adjustment range (1–4 mg/day). "
        "Give out_of_range_reason to import it",
        "patients[2].troughs[0].ng_ml: must be a number",
        "patients[2].troughs[1].date: is required",
        "patients[2].troughs[1].time: must be a time written HH:MM",
        "patients[2].troughs[2]: must be an object",
    ]
    assert not DoseChange.objects.exists() and not Trough.objects.exists()


def test_doses_must_not_overlap_and_troughs_must_be_in_the_study(nurse):
    doc = document(patient(
        1,
        doses=[{"date": on(0), "mg_per_day": 2}, {"date": on(10), "mg_per_day": 1},
               {"date": on(10), "mg_per_day": 1.5}, {"date": on(5), "mg_per_day": 0, "phase": "taper"}],
        troughs=[{"date": on(-1), "ng_ml": 8}, {"date": "2026-01-02", "ng_ml": 8}, {"date": on(7), "ng_ml": 400}],
    ))
    assert problems_of(doc, nurse) == [
        "patients[0].doses[2].date: doses[1] already starts on 2025-01-16: one dose change per day",
        "patients[0].doses[3].date: doses must be listed in date order",
        "patients[0].doses[3].phase: 0 mg/day means sirolimus is stopped: choose the phase 'Stop' "
        "(or use Stop sirolimus).",
        "patients[0].troughs[0].date: must be on or after the start date 2025-01-06 (day 0)",
        "patients[0].troughs[1].date: cannot be in the future",
        "patients[0].troughs[2].ng_ml: must be between 0 and 300",
    ]


def test_an_out_of_range_dose_imports_with_its_reason(nurse):
    doc = document(patient(1, doses=[{"date": on(0), "mg_per_day": 5, "phase": "start",
                                      "out_of_range_reason": "loading dose"}]))
    run(doc, nurse)
    assert DoseChange.objects.get().out_of_range_reason == "loading dose"


def test_a_bad_trough_refuses_the_good_doses_of_every_patient(nurse):
    doc = document(patient(1, doses=[{"date": on(0), "mg_per_day": 2}]),
                   patient(2, doses=[{"date": on(0), "mg_per_day": 2}], troughs=[{"date": on(7)}]))
    assert problems_of(doc, nurse) == ["patients[1].troughs[0].ng_ml: is required"]
    assert not DoseChange.objects.exists()


def test_sections_must_be_lists(nurse):
    assert problems_of(document(patient(1, doses={}, troughs=None)), nurse) == [
        "patients[0].doses: must be a list", "patients[0].troughs: must be a list"]


def test_con_meds_are_imported_with_their_taper_steps(nurse):
    doc = document(patient(1, con_meds=[
        {"name": "Prednisone", "dose": "20 mg/day", "start_date": on(-30), "stop_date": on(13),
         "indication": "ITP", "glucocorticoid_taper": True},
        {"name": "Prednisone", "dose": "10 mg/day", "start_date": on(14), "indication": "ITP",
         "glucocorticoid_taper": True},
    ]))
    assert run(doc, nurse).other_records == 2
    assert list(ConMed.objects.order_by("start_date").values_list("dose", "glucocorticoid_taper")) == [
        ("20 mg/day", True), ("10 mg/day", True)]


def test_con_med_problems_have_paths(nurse):
    doc = document(patient(1, con_meds=[{"name": "", "start_date": on(5), "stop_date": on(4), "indication": 3,
                                         "glucocorticoid_taper": "yes", "route": "oral"}]))
    assert problems_of(doc, nurse) == [
        "patients[0].con_meds[0]: unknown key 'route'",
        "patients[0].con_meds[0].indication: must be a string",
        "patients[0].con_meds[0].name: is required",
        "patients[0].con_meds[0].glucocorticoid_taper: must be true or false",
        "patients[0].con_meds[0].stop_date: must be on or after the start date",
    ]
