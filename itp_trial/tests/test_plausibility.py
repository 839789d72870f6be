"""Plausibility: the pure rules as tables, then every create form refusing implausible values next to the field
(400, nothing written, what was typed shown back), never a server error."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from casebook.tests.test_double_submission import PAGES, dose
from itp_trial.plausibility import (
    date_problems,
    document_problems,
    number_problems,
    reference_problems,
    text_problems,
)
from tests.factories import enrol
from tests.pages import hidden_fields

TODAY = date(2026, 6, 1)


@pytest.mark.parametrize(("value", "past_event", "problems"), [
    (date(1, 1, 1), False, ["must not be before 1900-01-01"]),
    (date(1899, 12, 31), True, ["must not be before 1900-01-01"]),
    (date(1900, 1, 1), True, []),
    (TODAY, True, []),
    (TODAY + timedelta(days=1), True, ["cannot be in the future"]),
    (TODAY + timedelta(days=1), False, []),
    (date(2100, 12, 31), False, []),
    (date(2101, 1, 1), False, ["must not be after 2100-12-31"]),
    (date(9999, 12, 31), False, ["must not be after 2100-12-31"]),
])
def test_dates(value, past_event, problems):
    assert [str(p) for p in date_problems(value, past_event=past_event, today=TODAY)] == problems


@pytest.mark.parametrize(("value", "plausible"), [
    (0, True), (-5, True), (Decimal("1e9"), True), (Decimal("-1e9"), True), (1e9 + 1, False), (1e300, False),
    (float("nan"), False), (float("inf"), False), (Decimal("NaN"), False), (Decimal("-Infinity"), False),
    (10**5000, False), (Decimal("12.345"), True),
], ids=lambda v: type(v).__name__ if isinstance(v, int) and v > 10**100 else repr(v))
def test_numbers(value, plausible):
    assert (number_problems(value) == []) is plausible


@pytest.mark.parametrize(("lower", "upper", "problems"), [
    (None, None, {}), (0, 40, {}), (None, 40, {}), (5, None, {}),
    (-1, 40, {"lower": ["must not be negative"]}), (5, -1, {"upper": ["must not be negative"]}),
    (40, 40, {"lower": ["must be below the ULN"]}),
    (50, 40, {"lower": ["must be below the ULN"]}),
])
def test_reference_limits(lower, upper, problems):
    found = reference_problems(lower, upper)
    assert {key: [str(p) for p in found[key]] for key in found} == problems


@pytest.mark.parametrize(("text", "plausible"), [("Dr Wang", True), ("line\nbreak\ttab", True), ("a\x00b", False),
                                                 ("\x1b[2J", False), ("😀", True), ("\x7f", False)], ids=repr)
def test_text(text, plausible):
    assert (text_problems(text) == []) is plausible


def test_document_problems_have_paths():
    document = {"patients": [{"birth_date": "0001-01-01", "labs": [{"values": [{"lln": 9, "uln": 3}]}],
                              "weight_kg": 1e300, "note": "x\x00"}]}
    assert document_problems(document, today=TODAY) == [
        "patients[0].birth_date: must not be before 1900-01-01",
        "patients[0].labs[0].values[0].lln: must be below the ULN",
        "patients[0].weight_kg: is too large (at most 1,000,000,000 either side of zero)",
        "patients[0].note: must not contain control characters",
    ]


# ------------------------------------------------------------------------------------------- the forms

def date_fields(data: dict) -> list[str]:
    return [name for name, value in data.items() if isinstance(value, date) or name.endswith(("_date", "_on"))]


IMPLAUSIBLE_DATES = {"0001-01-01": "Must not be before 1900-01-01.", "1899-12-31": "Must not be before 1900-01-01.",
                     "9999-12-31": "Must not be after 2100-12-31."}


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("typed", IMPLAUSIBLE_DATES)
def test_every_date_of_every_create_form_refuses_implausible_years(name, typed, client, physician):
    today = timezone.localdate()
    patient = enrol(physician, start=today - timedelta(days=20), today=today)
    if name == "stop":
        dose(patient, physician, day=0, mg=2, today=today)
    url_of, data_of, model = PAGES[name]
    client.force_login(physician)
    url = url_of(patient)
    data = {**hidden_fields(client, url), **data_of(patient)}
    fields = date_fields(data_of(patient))
    assert fields or name == "control"
    for field in fields:
        before = model.objects.count()
        response = client.post(url, {**data, field: typed})
        assert response.status_code == 400, (field, response.status_code)
        page = response.content.decode()
        assert IMPLAUSIBLE_DATES[typed] in page, field
        assert f'value="{typed}"' in page  # what was typed is shown back
        assert model.objects.count() == before


@pytest.mark.django_db
def test_lab_reference_limits_negative_or_reversed_are_refused_next_to_the_field(client, nurse):
    today = timezone.localdate()
    patient = enrol(nurse, start=today - timedelta(days=20), today=today)
    client.force_login(nurse)
    url = f"/safety/patients/{patient.study_id}/labs/new/"
    base = {**hidden_fields(client, url), "sample_date": today.isoformat(), "alt": "30", "alt_unit": "U/L"}
    for limits, message in [({"alt_lln": "-1", "alt_uln": "40"}, "Must not be negative."),
                            ({"alt_lln": "50", "alt_uln": "40"}, "Must be below the ULN."),
                            ({"alt_lln": "40", "alt_uln": "40"}, "Must be below the ULN.")]:
        response = client.post(url, {**base, **limits})
        assert response.status_code == 400
        assert message in response.content.decode()
