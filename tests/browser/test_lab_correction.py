"""A nurse corrects a mistyped lab value; the open proposal it raised is closed."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from safety.models import AeProposal
from safety.tests.builders import alt, lab
from tests.factories import enrol

pytestmark = pytest.mark.browser


def test_nurse_corrects_a_lab_value_with_a_reason(page, login, site, shoot):
    today = timezone.localdate()
    nurse = site["users"]["nurse"]
    patient = enrol(nurse, start=today - timedelta(days=14), today=today)
    lab(patient, nurse, on=today, values=[alt(100)], today=today)

    login("nurse")
    page.goto(f"{site['url']}/patients/{patient.study_id}/")
    page.get_by_test_id("labs").get_by_role("link", name="ALT").click()
    page.get_by_label("ALT value").fill("38")
    page.get_by_role("button", name="Save correction").click()
    expect(page.get_by_text("Give a reason for changing a saved record.")).to_be_visible()
    expect(page.get_by_label("ALT value")).to_have_value("38")
    page.get_by_label("Reason for change").fill("Value re-read from the lab report")
    shoot("lab-correction")
    page.get_by_role("button", name="Save correction").click()
    expect(page.get_by_role("alert").first).to_contain_text("corrected: now not graded")
    assert AeProposal.objects.get().status == "dismissed"
