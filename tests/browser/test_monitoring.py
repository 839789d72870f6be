"""A monitor questions a value, the nurse answers with a correction, the monitor closes it; a verified visit
changed afterwards shows as changed since verification."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from itp_trial.clock import moment_text
from monitoring.models import Verification
from tests.browser import study_grid
from tests.factories import enrol, record

pytestmark = pytest.mark.browser


def logout(page):
    page.get_by_role("button", name="Log out").click()


def test_query_raised_answered_with_a_correction_and_closed(login, site, shoot):
    today = timezone.localdate()
    nurse = site["users"]["nurse"]
    patient = enrol(nurse, start=today - timedelta(days=15), today=today)
    record(patient, nurse, "week1", day=7, platelets=30, today=today)
    record(patient, nurse, "week2", day=14, platelets=45, today=today)

    # The monitor raises a query next to the week-2 platelet count on the patient page.
    page = login("monitor")
    page.get_by_role("link", name=patient.study_id).click()
    week2 = page.get_by_test_id("visits").locator("tr[data-code=week2]")
    week2.locator("[data-testid=query-control][data-field=platelets]").click()
    expect(page.get_by_label("Field")).to_have_value("platelets")
    page.get_by_label("Question").fill("The laboratory report says 54, not 45. Please check.")
    shoot("monitoring-raise")
    page.get_by_role("button", name="Raise query").click()
    expect(page.get_by_test_id("query-status").first).to_have_text("open")
    expect(page.get_by_test_id("where")).to_contain_text("platelet count")
    shoot("monitoring-query-open")

    page.get_by_role("link", name=patient.study_id).first.click()
    expect(page.get_by_test_id("visits").locator("tr[data-code=week2] [data-testid=query-mark]")).to_have_text("?1")
    page.get_by_role("link", name="Study dashboard").click()
    expect(page.get_by_test_id("study-open-queries")).to_have_text("1")
    expect(study_grid.row(page, patient.study_id).locator("[data-testid=cell-queries]")).to_have_text("?1")
    assert study_grid.cell_text(page, patient.study_id, "week2").endswith("?1")
    shoot("monitoring-dashboard-open")
    logout(page)

    # The nurse finds it in her inbox and answers with a correction and a reason.
    page = login("nurse")
    page.get_by_test_id("inbox-link").click()
    waiting = page.locator("[data-testid=query-inbox][data-status=open]")
    expect(waiting.get_by_test_id("query-inbox-count")).to_have_text("1")
    shoot("monitoring-nurse-inbox")
    waiting.get_by_role("link").first.click()
    page.get_by_label("Answer").fill("Transcription error, corrected from the lab report.")
    page.get_by_label("Corrected value").fill("5400")
    page.get_by_label("Reason for the correction").fill("transcription error")
    page.get_by_role("button", name="Send answer").click()
    expect(page.get_by_test_id("answer")).to_contain_text("1500")  # out of range: the message next to the field
    expect(page.get_by_label("Corrected value")).to_have_value("5400")  # what was typed is kept
    shoot("monitoring-answer-refused")
    page.get_by_label("Corrected value").fill("54")
    page.get_by_role("button", name="Send answer").click()
    expect(page.get_by_test_id("query-status").first).to_have_text("answered")
    expect(page.get_by_test_id("correction")).to_contain_text("45.0 → 54.0")
    expect(page.get_by_test_id("current-value")).to_have_text("54.0")
    expect(page.get_by_test_id("close")).to_have_count(0)  # a nurse cannot close
    shoot("monitoring-answered")
    logout(page)

    # The monitor reads the answer in her inbox and closes the query: the dashboard is back to zero.
    page = login("monitor")
    page.get_by_test_id("inbox-link").click()
    answered = page.locator("[data-testid=query-inbox][data-status=answered]")
    expect(answered.get_by_test_id("query-inbox-count")).to_have_text("1")
    answered.get_by_role("link").first.click()
    expect(page.get_by_test_id("answer")).to_have_count(0)  # a monitor does not answer (nor edit)
    page.get_by_test_id("close").get_by_label("Message").fill("Confirmed against the lab report.")
    page.get_by_role("button", name="Close query").click()
    expect(page.get_by_test_id("query-status").first).to_have_text("closed")
    page.get_by_role("link", name="Study dashboard").click()
    expect(page.get_by_test_id("study-open-queries")).to_have_text("0")
    expect(page.get_by_test_id("grid").locator("[data-testid=cell-queries]")).to_have_count(0)
    shoot("monitoring-dashboard-closed")
    page.get_by_test_id("queries-link").click()
    expect(page.get_by_test_id("result-count")).to_have_text("0 queries")
    page.get_by_label("Status").select_option("closed")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("queries").locator("tr[data-query]")).to_have_count(1)
    shoot("monitoring-queries-closed")


def test_verified_visit_changed_by_the_nurse_shows_as_changed(login, site, shoot):
    today = timezone.localdate()
    nurse = site["users"]["nurse"]
    patient = enrol(nurse, start=today - timedelta(days=8), today=today)
    visit = record(patient, nurse, "week1", day=7, platelets=30, today=today)

    page = login("monitor")
    page.goto(f"{site['url']}/patients/{patient.study_id}/")
    row = page.get_by_test_id("visits").locator("tr[data-code=week1]")
    expect(row.get_by_test_id("sdv-state")).to_have_attribute("data-state", "unverified")
    row.get_by_test_id("record-monitoring").click()
    page.get_by_test_id("verify-record").click()
    expect(page.get_by_test_id("verification").get_by_test_id("sdv-state")).to_have_attribute("data-state", "verified")
    shoot("monitoring-verified")
    response = page.goto(f"{site['url']}/visits/{visit.pk}/edit/")
    assert response.status == 403  # a monitor cannot edit data
    logout(page)

    page = login("nurse")
    page.goto(f"{site['url']}/visits/{visit.pk}/edit/")
    page.get_by_label("Platelet count (×10⁹/L)").fill("33")
    page.get_by_label("Reason for change").fill("Lab re-check of the same sample")
    page.get_by_role("button", name="Save visit").click()
    row = page.get_by_test_id("visits").locator("tr[data-code=week1]")
    expect(row.get_by_test_id("sdv-state")).to_have_attribute("data-state", "changed")
    expect(page.get_by_test_id("sdv-progress")).to_contain_text("1 record changed since verification")
    shoot("monitoring-patient-changed")
    page.goto(f"{site['url']}/visits/{visit.pk}/history/")
    expect(page.get_by_test_id("verification-note")).to_contain_text("changed since verification")
    verified_at = Verification.objects.get(record_id=visit.pk, field="").verified_at
    # the time is the study site's, with its offset ("… 15:04 UTC+8"), never labelled plain UTC
    expect(page.get_by_test_id("verification-note")).to_contain_text(f"on {moment_text(verified_at)} at version 1")
    shoot("monitoring-history-changed")
    logout(page)

    page = login("monitor")
    page.goto(f"{site['url']}/monitoring/verification/changed/")
    expect(page.get_by_test_id("changed").locator(f"tr[data-record=visit-{visit.pk}]")).to_contain_text("version 2")
    shoot("monitoring-changed-list")
    response = page.goto(f"{site['url']}/monitoring/queries/999999/")
    assert response.status == 404


def test_the_changed_list_pages_through_the_records(login, site, shoot, monkeypatch):
    from monitoring import views as monitoring_views
    from monitoring.services import record_verify
    from visits.services import VisitValues, visit_update

    monkeypatch.setattr(monitoring_views, "CHANGED_PAGE", 2)
    today = timezone.localdate()
    nurse, monitor = site["users"]["nurse"], site["users"]["monitor"]
    visits = []
    for _ in range(3):
        patient = enrol(nurse, start=today - timedelta(days=8), today=today)
        visit = record(patient, nurse, "week1", day=7, platelets=30, today=today)
        record_verify(record_type="visit", record_id=visit.pk, user=monitor, version=visit.version)
        visit_update(visit=visit, values=VisitValues(visit.visit_date, visit.platelets + 1, 0), user=nurse,
                     reason="typo", version=visit.version, today=today)
        visits.append(visit)

    page = login("monitor")
    page.goto(f"{site['url']}/monitoring/verification/changed/")
    table = page.get_by_test_id("changed")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator(f"tr[data-record=visit-{visits[0].pk}]")).to_be_visible()  # oldest verification first
    expect(page.get_by_test_id("changed-pages").first).to_contain_text("1–2 of 3")
    shoot("monitoring-changed-pages")
    page.get_by_test_id("changed-pages").first.get_by_role("link", name="Next").click()
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator(f"tr[data-record=visit-{visits[2].pk}]")).to_contain_text("version 2")
    expect(page.get_by_test_id("changed-pages").first).to_contain_text("page 2 of 2")
