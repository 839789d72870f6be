"""Sessions in the browser: the inactivity warning and "stay signed in"; a visit typed while the session ended is
filled in again after signing in and saved once; a refused form (cookies gone) shows the app's page."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import PASSWORD, enrol
from visits.models import Visit

pytestmark = pytest.mark.browser


def test_session_ends_mid_visit_entry_and_the_form_comes_back_after_signing_in(login, site, shoot):
    today = timezone.localdate()
    nurse = site["users"]["nurse"]
    patient = enrol(nurse, start=today - timedelta(days=8), today=today)
    url = f"{site['url']}/patients/{patient.study_id}/visits/new/week1/"
    page = login("nurse")
    page.goto(url)
    page.get_by_label("Visit date").fill(today.isoformat())
    page.get_by_label("Platelet count (×10⁹/L)").fill("27")
    page.get_by_label("Haemoglobin (g/L)").fill("118")
    page.locator("input[name=bleeding_grade][value='2']").check()
    with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=True):  # the nurse was called away
        page.get_by_role("button", name="Save visit").click()
        page.wait_for_url(f"{site['url']}/login/**")
        expect(page.get_by_role("alert")).to_contain_text("What you typed was kept")
        assert not Visit.objects.filter(patient=patient, slot__code="week1").exists()
        shoot("session-expired-login")
        page.get_by_label("Username").fill(nurse.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(url)
        expect(page.get_by_test_id("draft-restored")).to_be_visible()
        expect(page.get_by_label("Visit date")).to_have_value(today.isoformat())
        expect(page.get_by_label("Platelet count (×10⁹/L)")).to_have_value("27")
        expect(page.get_by_label("Haemoglobin (g/L)")).to_have_value("118")
        expect(page.locator("input[name=bleeding_grade][value='2']")).to_be_checked()
        shoot("session-expired-form-restored")
        page.get_by_role("button", name="Save visit").click()
        page.wait_for_url(f"{site['url']}/patients/{patient.study_id}/")
        expect(page.get_by_role("alert").first).to_contain_text("saved")
        page.go_back()  # the restored page again: it is not filled in a second time
        expect(page.get_by_test_id("draft-restored")).to_have_count(0)
    visits = Visit.objects.filter(patient=patient, slot__code="week1")
    assert [(v.platelets, v.bleeding_grade, v.haemoglobin) for v in visits] == [(27, 2, 118)]


def test_inactivity_warning_offers_to_stay_signed_in(login, site, settings, shoot):
    settings.SESSION_IDLE_TIMEOUT = 8
    settings.SESSION_IDLE_WARNING = 5
    page = login("nurse")
    warning = page.get_by_test_id("idle-warning")
    expect(warning).to_be_hidden()
    expect(warning).to_be_visible(timeout=6000)  # 3 s after the page was served
    expect(warning).to_contain_text("You will be signed out in")
    shoot("idle-warning")
    warning.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()
    expect(warning).to_be_visible(timeout=6000)  # the clock started again; this time nobody answers
    expect(warning).to_contain_text("You were signed out", timeout=8000)
    expect(warning.get_by_role("button", name="Stay signed in")).to_be_hidden()
    page.goto(f"{site['url']}/patients/")
    page.wait_for_url(f"{site['url']}/login/**")


def test_form_refused_with_all_cookies_gone_shows_the_apps_page(login, site, page, shoot):
    today = timezone.localdate()
    patient = enrol(site["users"]["nurse"], start=today - timedelta(days=8), today=today)
    login("nurse")
    url = f"{site['url']}/patients/{patient.study_id}/visits/new/week1/"
    page.goto(url)
    page.get_by_label("Platelet count (×10⁹/L)").fill("27")
    page.context.clear_cookies()
    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_test_id("csrf-failure")).to_be_visible()
    expect(page.get_by_text("Nothing was saved.")).to_be_visible()
    assert "CSRF verification failed" not in page.content()
    shoot("csrf-failure")
    page.get_by_role("button", name="Back to the form").click()
    # The cookies (and so the session) are gone: the form asks to sign in first, then opens again.
    expect(page).to_have_url(f"{site['url']}/login/?next=/patients/{patient.study_id}/visits/new/week1/")
    page.get_by_label("Username").fill(site["users"]["nurse"].username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(url)
    expect(page.get_by_role("button", name="Save visit")).to_be_visible()
