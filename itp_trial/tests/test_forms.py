"""The shared form plumbing: ISO dates in every language, and the numeric keypad on every number field."""

import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from dosing.forms import AcceptForm, ConMedForm, DoseForm, StopForm, TroughForm
from itp_trial.forms import DecimalInput, keypad_for
from patients.forms import OffStudyForm, PatientEditForm, SecondLineFormSet
from safety.ctcae import ANALYTES
from safety.forms import AdverseEventForm, HealthyControlForm, LabSampleForm, LabValueForm, TregForm
from visits.enrolment_form import EnrolmentForm
from visits.forms import RescueForm, VisitForm


@pytest.mark.parametrize("language", ["en", "en-gb", "en-us", "zh-hans"])
def test_dates_on_pages_are_iso_whatever_the_language(language):
    with translation.override(language):
        rendered = Template("{{ d }}|{{ d|date }}|{{ t|date:'SHORT_DATETIME_FORMAT' }}").render(
            Context({"d": date(2026, 3, 2), "t": datetime(2026, 3, 2)}))
    assert rendered == "2026-03-02|2026-03-02|2026-03-02 00:00"


@pytest.mark.parametrize("step, keypad", [("1", "numeric"), ("0.1", "decimal"), ("0.25", "decimal"), ("any", "decimal"),
                                          ("5", "numeric"), ("1e-3", "decimal"), ("bad", "decimal")])
def test_keypad_for_a_step(step, keypad):
    assert keypad_for({"step": step}) == keypad
    assert keypad_for({}) == "numeric"  # an integer field without a step


FORMS = [VisitForm(), VisitForm(editing=True), RescueForm(), EnrolmentForm(), SecondLineFormSet(prefix="s"),
         PatientEditForm(), DoseForm(), DoseForm(prescriber=False), StopForm(), TroughForm(), AcceptForm(),
         ConMedForm(), LabSampleForm(), AdverseEventForm(), OffStudyForm(), TregForm(), HealthyControlForm(),
         LabValueForm(analyte=ANALYTES[0])]


@pytest.mark.parametrize("form", FORMS, ids=lambda f: type(f).__name__)
def test_every_number_field_opens_a_keypad_and_every_date_is_iso_text(form):
    html = str(form) if not hasattr(form, "management_form") else "".join(str(f) for f in form)
    numbers = re.findall(r"<input[^>]*type=\"number\"[^>]*>", html)
    for tag in numbers:
        mode = re.search(r'inputmode="(\w+)"', tag)
        step = re.search(r'step="([^"]+)"', tag)
        assert mode, tag
        assert mode.group(1) == ("numeric" if step is None or step.group(1) == "1" else "decimal"), tag
    for field in (form.forms[0] if hasattr(form, "management_form") else form):  # decimals: text with the keypad
        if isinstance(field.field, forms.DecimalField):
            assert 'type="text"' in str(field) and 'inputmode="decimal"' in str(field), field.name
    assert 'type="date"' not in html
    for tag in re.findall(r"<input[^>]*data-datepicker[^>]*>", html):
        assert 'type="text"' in tag and 'placeholder="YYYY-MM-DD"' in tag


def test_a_platelet_count_gets_the_decimal_keypad():
    # a text input (what was typed is kept with its error, see itp_trial.forms.DecimalInput) with the keypad
    html = str(VisitForm()["platelets"])
    assert 'inputmode="decimal"' in html and 'type="text"' in html


@pytest.mark.parametrize("value, shown_as", [
    (Decimal("31.0"), "31"),  # a saved count opens as entered, not with the column's decimals
    (Decimal("0.0"), "0"),
    (Decimal("5.90"), "5.9"),
    (Decimal("12.5"), "12.5"),
    (Decimal("100"), "100"),
    ("31.0", "31.0"),  # what the nurse typed comes back as typed, with its error
    ("12,5", "12,5"),
    (None, None),
])
def test_a_decimal_field_shows_a_saved_value_without_spurious_decimals(value, shown_as):
    assert DecimalInput().format_value(value) == shown_as


def test_an_edit_form_opens_with_the_count_as_entered():
    form = VisitForm(initial={"platelets": Decimal("31.0"), "haemoglobin": Decimal("112.0")})
    assert 'value="31"' in str(form["platelets"]) and 'value="112"' in str(form["haemoglobin"])
