"""What a nurse typed stays on screen after an error; a second visit at a slot points to the recorded one."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import enrol, record

pytestmark = pytest.mark.browser


def test_letters_typed_in_a_number_field_are_shown_back_with_the_error(login, site, shoot):
    # Before: an <input type=number> sent "" for "12e" or "4,5"; the page said "required" and the value was gone.
    today = timezone.localdate()
    patient = enrol(site["users"]["nurse"], start=today - timedelta(days=8), today=today)
    page = login("nurse")
    page.goto(f"{site['url']}/patients/{patient.study_id}/visits/new/week1/")
    field = page.get_by_label("Platelet count (×10⁹/L)")
    field.click()
    page.keyboard.type("12e")
    page.get_by_label("Haemoglobin (g/L)").click()
    page.keyboard.type("4,5")
    page.locator("input[name=bleeding_grade][value='0']").check()
    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_text("Enter a number.").first).to_be_visible()
    expect(page.get_by_label("Platelet count (×10⁹/L)")).to_have_value("12e")
    expect(page.get_by_label("Haemoglobin (g/L)")).to_have_value("4,5")
    assert page.get_by_label("Platelet count (×10⁹/L)").get_attribute("inputmode") == "decimal"
    shoot("visit-form-typed-error")


def test_a_second_visit_at_a_slot_links_to_the_recorded_one(login, site, shoot):
    today = timezone.localdate()
    nurse = site["users"]["nurse"]
    patient = enrol(nurse, start=today - timedelta(days=8), today=today)
    week1 = record(patient, nurse, "week1", day=7, platelets=31, today=today)
    page = login("nurse")
    page.goto(f"{site['url']}/patients/{patient.study_id}/visits/new/week1/")  # an old tab, or the back button
    alert = page.get_by_test_id("visit-exists")
    expect(alert).to_have_count(1)
    expect(alert).to_contain_text("The Week 1 visit is already recorded")
    shoot("visit-already-recorded")
    alert.get_by_role("link", name="Open it to correct it").click()
    page.wait_for_url(f"{site['url']}/visits/{week1.pk}/edit/")
    expect(page.get_by_label("Platelet count (×10⁹/L)")).to_have_value("31")  # as entered, not the column's "31.0"
