"""The study team's flow through issue 14's changes: a reminder that resolves itself when the visit is recorded,
off study carried through the patient page, blood counts graded on the haematology panel, follow-up visits."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dosing.tests.factories import dose
from inbox.scan import reminders_scan
from safety.tests.builders import event
from tests.browser.study_grid import cell_text
from tests.factories import enrol, record

pytestmark = pytest.mark.browser


def test_the_visit_reminder_resolves_itself_when_the_nurse_records_the_visit(login, site, shoot):
    today = timezone.localdate()
    nurse = site["users"]["nurse"]
    patient = enrol(nurse, start=today - timedelta(days=14), today=today)
    dose(patient, nurse, day=0, mg=2, today=today)
    reminders_scan(today=today)
    page = login("nurse")
    before = int(page.get_by_test_id("unread-count").inner_text())
    page.get_by_test_id("inbox-link").click()
    visit_row = page.get_by_test_id("inbox").locator("[data-kind=visit_due]")
    expect(visit_row).to_contain_text("new")
    visit_row.get_by_role("link").click()
    page.get_by_test_id("schedule").locator("tr[data-code=week2]").get_by_role("link", name="Record").click()
    page.get_by_label("Platelet count (×10⁹/L)").fill("41")
    page.locator("input[name=bleeding_grade][value='0']").check()
    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_role("alert").first).to_contain_text("Week 2 saved")
    expect(page.get_by_test_id("unread-count")).to_have_text(str(before - 1))  # before: unchanged until "Mark read"
    page.get_by_test_id("inbox-link").click()
    done = page.get_by_test_id("inbox").locator("[data-kind=visit_due]")
    expect(done.get_by_test_id("resolved")).to_have_text("done")
    expect(done.get_by_test_id("resolution")).to_contain_text(f"visit recorded by {nurse.get_full_name()}")
    expect(done.get_by_role("button", name="Mark read")).to_have_count(0)
    shoot("inbox-resolved")


def test_off_study_is_carried_through_and_the_stop_of_sirolimus_is_asked_for(login, site, shoot):
    today = timezone.localdate()
    nurse = site["users"]["nurse"]
    patient = enrol(nurse, start=today - timedelta(days=30), today=today)
    dose(patient, nurse, day=0, mg=2, today=today)
    record(patient, nurse, "week1", day=7, platelets=25, today=today)
    event(patient, nurse, on=today - timedelta(days=1), term="Diarrhea", grade=3, today=today)
    page = login("physician")
    page.goto(f"{site['url']}/patients/{patient.study_id}/")
    expect(page.get_by_test_id("withdrawal-alert")).to_contain_text("Marked for withdrawal")
    page.get_by_test_id("withdrawal-alert").get_by_role("link", name="Record off study").click()
    page.get_by_label("Reason").fill("Grade 3 diarrhea: withdrawn per protocol")
    page.get_by_role("button", name="Record off study").click()
    status = page.get_by_test_id("off-study")
    expect(status.get_by_test_id("stop-missing")).to_contain_text("Record the day sirolimus was stopped")
    expect(status).to_contain_text(f"Off study since {today:%Y-%m-%d}")
    schedule = page.get_by_test_id("schedule")
    expect(schedule.locator("tr[data-code=month1]")).to_contain_text("not done (off study)")
    expect(schedule.get_by_role("link", name="Record")).to_have_count(2)  # weeks 2 and 3, missed before off study
    expect(page.get_by_test_id("current-dose")).to_contain_text("off study; stop not recorded")
    expect(page.get_by_test_id("trough-due")).to_contain_text("No trough level due: off study.")
    shoot("patient-off-study")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="test-artifacts/patient-off-study-390.png", full_page=False)
    page.set_viewport_size({"width": 1280, "height": 900})
    status.get_by_role("link", name="Record the stop of sirolimus").click()
    page.get_by_label("Stop date (first day without sirolimus)").fill(today.isoformat())
    page.get_by_label("Reason for stopping").fill("Off study: grade 3 adverse event")
    page.get_by_role("button", name="Stop sirolimus").click()
    expect(page.get_by_test_id("stop-missing")).to_have_count(0)
    expect(page.get_by_test_id("off-study")).to_contain_text(
        f"Safety follow-up until {today + timedelta(days=28):%Y-%m-%d}")
    expect(page.get_by_test_id("current-dose")).to_have_text("stopped")


def test_blood_counts_on_the_haematology_panel_are_proposed_like_other_labs(login, site, shoot):
    today = timezone.localdate()
    patient = enrol(site["users"]["nurse"], start=today - timedelta(days=20), today=today)
    page = login("nurse")
    page.goto(f"{site['url']}/patients/{patient.study_id}/")
    page.get_by_role("link", name="Enter safety labs").click()
    expect(page.get_by_label("Haemoglobin LLN")).to_have_value("120")
    page.get_by_label("Haemoglobin", exact=True).fill("95")
    page.get_by_label("Neutrophils (ANC)", exact=True).fill("1.45")
    page.get_by_label("Neutrophils (ANC) LLN").fill("1.4")
    shoot("safety-lab-form-haematology")
    page.get_by_role("button", name="Save safety labs").click()
    proposals = page.get_by_test_id("proposals")
    expect(proposals).to_contain_text("Anemia, grade 2")
    expect(proposals).to_contain_text("Neutrophil count decreased, grade 2")
    expect(proposals).to_contain_text("LLN 1.4")
    expect(page.get_by_test_id("labs")).to_contain_text("(≥120)")


def test_follow_up_visits_on_the_patient_page_and_the_study_dashboard(login, site, shoot):
    today = timezone.localdate()
    nurse = site["users"]["nurse"]
    patient = enrol(nurse, start=today - timedelta(days=110), today=today)
    dose(patient, nurse, day=0, mg=2, today=today)
    stopped = enrol(nurse, start=today - timedelta(days=110), today=today)
    dose(stopped, nurse, day=0, mg=2, today=today)
    from dosing.services import sirolimus_stop

    sirolimus_stop(patient=stopped, stop_date=today - timedelta(days=20), reason="no response at month 3",
                   user=nurse, today=today)
    page = login("physician")
    page.goto(f"{site['url']}/patients/{patient.study_id}/")
    expect(page.get_by_test_id("schedule").locator("tr[data-code=month4]")).to_contain_text("due")
    shoot("patient-follow-up")
    page.get_by_role("link", name="Study dashboard").click()
    assert "due" in cell_text(page, patient.study_id, "month4")
    assert "not planned" in cell_text(page, stopped.study_id, "month4")
    assert cell_text(page, stopped.study_id, "month6") == "·"
    shoot("study-dashboard-follow-up")
