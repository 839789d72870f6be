"""One date format: in an en-US browser a date field shows, takes and submits YYYY-MM-DD, typed or picked."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.factories import enrol
from visits.models import Visit

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-US", "timezone_id": "America/New_York"}


@pytest.fixture
def fresh(site):
    today = timezone.localdate()
    return enrol(site["users"]["nurse"], start=today - timedelta(days=20), baseline=12, today=today)


def test_the_browser_really_is_en_us(login):
    page = login("nurse")
    assert page.evaluate("navigator.language") == "en-US"
    assert page.evaluate("new Date(2026, 2, 2).toLocaleDateString()") == "3/2/2026"  # what a native field shows


def test_a_date_field_shows_and_submits_iso_in_an_en_us_browser(login, site, fresh):
    page = login("nurse")
    page.goto(site["url"] + reverse("visits:create", args=[fresh.study_id, "week3"]))
    field = page.get_by_label("Visit date")
    target = fresh.start_date + timedelta(days=21)
    expect(field).to_have_value(target.isoformat())  # the slot's target, ISO
    assert field.get_attribute("type") == "text"  # never a native, locale-formatted date input
    expect(field).to_have_attribute("placeholder", "YYYY-MM-DD")

    # Pick a day in the calendar: the field gets the ISO date of that day.
    page.get_by_role("button", name="Open calendar").click()
    calendar = page.locator(".flatpickr-calendar.open")
    expect(calendar).to_be_visible()
    expect(calendar.locator(".flatpickr-weekday").first).to_have_text("Mon")  # Monday first, whatever the locale
    page.screenshot(path=str(ARTIFACTS / "iso-date-calendar-open-en-US.png"))
    picked = target - timedelta(days=1)
    calendar.locator(f".flatpickr-day[aria-label='{picked:%B} {picked.day}, {picked.year}']").click()
    expect(field).to_have_value(picked.isoformat())
    expect(calendar).to_be_hidden()
    page.screenshot(path=str(ARTIFACTS / "iso-date-picked-en-US.png"))

    page.get_by_label("Platelet count (×10⁹/L)").fill("41")
    page.locator("input[name=bleeding_grade][value='0']").check()
    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_role("alert").first).to_contain_text("Week 3 saved")
    assert Visit.objects.get(patient=fresh, slot__code="week3").visit_date == picked
    expect(page.get_by_test_id("visits").locator("tr[data-code=week3]")).to_contain_text(picked.isoformat())


def test_typed_dates_are_iso_and_us_dates_are_refused(login, site, fresh):
    page = login("nurse")
    page.goto(site["url"] + reverse("visits:create", args=[fresh.study_id, "unscheduled"]))
    field = page.get_by_label("Visit date")
    us = (timezone.localdate() - timedelta(days=2)).strftime("%m/%d/%Y")
    field.fill(us)
    page.get_by_label("Platelet count (×10⁹/L)").fill("41")
    page.locator("input[name=bleeding_grade][value='0']").check()
    page.get_by_role("button", name="Save visit").click()
    expect(page.locator("#id_visit_date").locator("xpath=ancestor::div[contains(@class,'mb-3')][1]")).to_contain_text(
        "Enter a valid date")
    typed = timezone.localdate() - timedelta(days=2)
    page.get_by_label("Visit date").fill(typed.isoformat())
    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_role("alert").first).to_contain_text("saved")
    assert Visit.objects.filter(patient=fresh, visit_date=typed).exists()

