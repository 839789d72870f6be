"""A monitor reads everything and finds no way to edit."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import enrol, record

pytestmark = pytest.mark.browser


def test_monitor_reads_patient_and_report_but_cannot_edit(login, site, shoot):
    today = timezone.localdate()
    patient = enrol(site["users"]["nurse"], start=today - timedelta(days=9), today=today)
    visit = record(patient, site["users"]["nurse"], "week1", day=7, platelets=45, today=today)

    page = login("monitor")
    expect(page.get_by_role("link", name="Enrol")).to_have_count(0)
    expect(page.get_by_test_id("patient-list")).to_contain_text(patient.study_id)
    page.get_by_role("link", name=patient.study_id).click()
    expect(page.get_by_test_id("current-status")).to_have_text("R")
    for name in ("Edit", "Record", "Correct details", "Unscheduled visit", "Rescue therapy"):
        expect(page.get_by_role("link", name=name)).to_have_count(0)
    expect(page.get_by_role("link", name="History").first).to_be_visible()
    shoot("monitor-patient-page")

    response = page.goto(f"{site['url']}/visits/{visit.pk}/edit/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()

    page.goto(f"{site['url']}/reports/response/")
    expect(page.get_by_test_id("table2").locator("tr[data-visit=week1]")).to_contain_text("100%")
    shoot("study-response")
