"""Lab values graded exactly as entered, and blood counts (haemoglobin, white cells, neutrophils) graded against
their LLN and the patient's baseline, proposing adverse events like the other labs (SPEC §5)."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from inbox.models import Reminder
from safety.models import AeProposal, LabValue
from safety.services import LabInput, lab_value_update
from safety.tests.builders import lab
from tests.factories import enrol

pytestmark = pytest.mark.django_db
DAY0 = date(2026, 3, 2)
LATER = DAY0 + timedelta(days=14)


@pytest.fixture
def patient(nurse):
    return enrol(nurse, start=DAY0)


def count(analyte, value, lln, unit=None) -> LabInput:
    unit = unit or {"haemoglobin": "g/L"}.get(analyte, "×10⁹/L")
    return LabInput(analyte=analyte, value=D(value), unit=unit, lln=D(lln))


@pytest.mark.parametrize("value, uln, grade", [("4.2", "1.4", 2), ("7.8", "1.3", 3), ("4.201", "1.4", 3)])
def test_creatinine_in_mg_dl_exactly_on_a_boundary_is_stored_with_ctcae_grade(patient, nurse, value, uln, grade):
    # Before: 4.2 mg/dL with ULN 1.4 was stored as grade 3 and 7.8 with ULN 1.3 as grade 4.
    sample = lab(patient, nurse, on=LATER, values=[LabInput("creatinine", D(value), "mg/dL", uln=D(uln))])
    stored = sample.values.get()
    assert stored.grade == grade
    assert AeProposal.objects.get().grade == grade


def test_creatinine_baseline_in_umol_graded_against_a_later_value_in_mg_dl(patient, nurse):
    lab(patient, nurse, on=DAY0, values=[LabInput("creatinine", D("88.4"), "µmol/L", uln=D(110))])  # 1.0 mg/dL
    at = lab(patient, nurse, on=LATER, values=[LabInput("creatinine", D("1.5"), "mg/dL", uln=D("1.6"))]).values.get()
    assert at.grade is None  # exactly 1.5 × BL and below the ULN
    above = lab(patient, nurse, on=LATER + timedelta(days=1),
                values=[LabInput("creatinine", D("1.501"), "mg/dL", uln=D("1.6"))]).values.get()
    assert (above.grade, above.baseline_std) == (2, D("88.4"))


def test_haematology_panel_grades_each_count_and_proposes_for_a_physician(patient, nurse):
    # Before: haemoglobin, white cells and neutrophils were not lab analytes at all.
    sample = lab(patient, nurse, on=LATER, values=[
        count("haemoglobin", "95", "120"), count("white_cells", "3.5", "4.0"), count("neutrophils", "1.45", "1.4")])
    grades = {v.analyte: (v.panel, v.graded_term, v.grade) for v in sample.values.all()}
    assert grades == {"haemoglobin": ("haematology", "Anemia", 2),
                      "white_cells": ("haematology", "White blood cell decreased", 1),
                      "neutrophils": ("haematology", "Neutrophil count decreased", 2)}
    assert sorted(AeProposal.objects.values_list("term", "grade")) == [
        ("Anemia", 2), ("Neutrophil count decreased", 2), ("White blood cell decreased", 1)]
    assert Reminder.objects.get().kind == "ae_proposed"


def test_haemoglobin_in_g_dl_is_graded_in_g_l(patient, nurse):
    value = lab(patient, nurse, on=LATER, values=[count("haemoglobin", "7.9", "12.0", unit="g/dL")]).values.get()
    assert (value.grade, value.value_std) == (3, D("79"))


def test_a_count_as_low_as_at_baseline_proposes_nothing_a_worse_one_does(patient, nurse):
    lab(patient, nurse, on=DAY0, values=[count("haemoglobin", "92", "120")])  # grade 2 before sirolimus
    assert not AeProposal.objects.exists()
    same = lab(patient, nurse, on=LATER, values=[count("haemoglobin", "85", "120")]).values.get()
    assert same.grade == 2 and not AeProposal.objects.exists()  # graded and shown, not a new event
    worse = lab(patient, nurse, on=LATER + timedelta(days=7), values=[count("haemoglobin", "78", "120")]).values.get()
    assert worse.grade == 3
    assert AeProposal.objects.get().lab_value == worse


def test_a_corrected_count_follows_the_baseline_rule(patient, nurse):
    lab(patient, nurse, on=DAY0, values=[count("neutrophils", "1.2", "1.8")])  # grade 2 at baseline
    value = lab(patient, nurse, on=LATER, values=[count("neutrophils", "1.1", "1.8")]).values.get()
    assert not AeProposal.objects.exists()
    lab_value_update(lab_value=value, values=count("neutrophils", "0.8", "1.8"), user=nurse, reason="typo",
                     version=value.version, today=LATER)
    assert AeProposal.objects.get().grade == 3


def test_platelets_are_not_a_lab_analyte(patient, nurse):
    assert not LabValue._meta.get_field("analyte").choices or "platelets" not in dict(
        LabValue._meta.get_field("analyte").choices)
