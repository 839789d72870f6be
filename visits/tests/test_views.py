"""The visit pages: a slot that already has its visit, and form errors shown once."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import enrol, record
from tests.pages import post_form

START = date(2026, 3, 2)


@pytest.mark.django_db
def test_a_second_visit_at_a_slot_is_refused_once_with_a_link_to_the_recorded_one(client, nurse):
    # Before: "The week2 visit is already recorded; edit it instead." twice, and no link to the visit.
    patient = enrol(nurse, start=START)
    week2 = record(patient, nurse, "week2", day=14, platelets=48, today=START + timedelta(days=15))
    client.force_login(nurse)
    url = reverse("visits:create", kwargs={"study_id": patient.study_id, "code": "week2"})
    response = post_form(client, url, {"visit_date": (START + timedelta(days=15)).isoformat(), "platelets": "52",
                                 "bleeding_grade": "0"})
    page = response.content.decode()
    assert response.status_code == 400
    assert page.count("is already recorded") == 1
    assert f'href="{reverse("visits:edit", kwargs={"pk": week2.pk})}"' in page
    assert "Not saved: 2026-03-17, platelets 52." in page
    assert patient.visits.count() == 2  # baseline and week 2
    page = client.get(url).content.decode()  # an old link or the back button
    assert page.count("is already recorded") == 1 and "Save visit" not in page


def test_no_template_prints_non_field_errors_next_to_a_crispy_form():
    """crispy renders a form's non-field errors at its top; printing them too showed every such error twice."""
    doubled = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = path.read_text()
        for name in set(re.findall(r"\{% crispy (\w+) %\}|\{\{ (\w+)\|crispy \}\}", text)):
            form = next(n for n in name if n)
            if f"{form}.non_field_errors" in text:
                doubled.append(str(path.relative_to(settings.BASE_DIR)))
    assert doubled == []
