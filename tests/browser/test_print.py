"""Printing a patient page: no navigation, no buttons, each section on a new page, tables as tables."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dosing.tests.factories import dosing_records
from tests.browser.conftest import ARTIFACTS
from tests.factories import enrol, record

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 390])
def test_the_printed_patient_page_has_no_navigation_or_buttons_and_breaks_between_sections(login, site, width):
    today = timezone.localdate()
    nurse = site["users"]["nurse"]
    patient = enrol(nurse, start=today - timedelta(days=10), baseline=12, today=today)
    record(patient, nurse, "week1", day=7, platelets=45, today=today)
    dosing_records(patient, nurse, today=today)
    page = login("physician")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site["url"] + reverse("patients:detail", args=[patient.study_id]))
    page.emulate_media(media="print")
    shown = page.evaluate("""() => [...document.querySelectorAll('nav, .btn, button, .dropdown-toggle')]
        .filter(el => el.getBoundingClientRect().height > 0).map(el => el.outerHTML.slice(0, 80))""")
    assert shown == []
    breaks = page.evaluate("""() => [...document.querySelectorAll('main > .card')]
        .map(el => [el.querySelector('.card-header') ? el.querySelector('.card-header').innerText.trim() : '',
                    getComputedStyle(el).breakBefore])""")
    assert [title for title, _ in breaks][:2] == ["Visits", "Sirolimus dosing and drug monitoring"]
    assert all(value == "page" for _, value in breaks), breaks
    visits = page.get_by_test_id("visits")
    assert visits.locator("thead").evaluate("el => getComputedStyle(el).display") == "table-header-group"
    assert visits.locator("tr[data-code=week1]").evaluate("el => getComputedStyle(el).display") == "table-row"
    page.pdf(path=str(ARTIFACTS / f"print-patient-page-{width}.pdf"))
