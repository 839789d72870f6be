"""Safety in the browser: a nurse enters a lab panel with ALT at 2.5×ULN, the physician confirms the proposed
adverse event; a grade 3 event starts withdrawal; what each role sees on the safety pages."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from safety.tests.builders import event
from tests.factories import enrol

pytestmark = pytest.mark.browser


def test_nurse_enters_alt_2_5_uln_physician_confirms_grade_1(login, site, shoot):
    today = timezone.localdate()
    patient = enrol(site["users"]["nurse"], start=today - timedelta(days=20), today=today)
    page = login("nurse")
    page.goto(f"{site['url']}/patients/{patient.study_id}/")
    expect(page.get_by_test_id("lab-schedule").locator("tr[data-panel=liver]")).to_contain_text("overdue")
    page.get_by_role("link", name="Enter safety labs").click()
    expect(page.get_by_label("ALT ULN")).to_have_value("40")
    page.get_by_label("ALT", exact=True).fill("100")
    page.get_by_label("Creatinine", exact=True).fill("80")
    shoot("safety-lab-form")
    page.get_by_role("button", name="Save safety labs").click()

    expect(page.get_by_role("alert").nth(1)).to_contain_text("Alanine aminotransferase increased grade 1")
    proposals = page.get_by_test_id("proposals")
    expect(proposals).to_contain_text(f"Alanine aminotransferase increased, grade 1, from the lab of {today:%Y-%m-%d}")
    expect(proposals).to_contain_text("waiting for a physician")
    expect(proposals.get_by_role("link", name="Review")).to_have_count(0)  # nurses cannot confirm
    expect(page.get_by_test_id("adverse-events")).to_contain_text("No adverse events recorded.")
    shoot("safety-patient-nurse")

    page = login("physician")
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    page.get_by_test_id("inbox-link").click()
    expect(page.get_by_test_id("inbox")).to_contain_text("confirm or dismiss Alanine aminotransferase increased")
    shoot("safety-inbox-physician")
    page.get_by_test_id("inbox").get_by_role("link").first.click()
    page.get_by_test_id("proposals").get_by_role("link", name="Review").click()
    expect(page.get_by_test_id("proposal")).to_contain_text(">ULN–3.0×ULN if baseline normal")
    shoot("safety-proposal")
    page.get_by_label("Relation to sirolimus").select_option("probable")
    page.get_by_role("button", name="Confirm adverse event").click()

    expect(page.get_by_role("alert").first).to_contain_text("Alanine aminotransferase increased grade 1 saved")
    row = page.get_by_test_id("adverse-events").locator("tr[data-term='Alanine aminotransferase increased']")
    expect(row.get_by_test_id("ae-grade")).to_have_text("1")
    expect(row).to_contain_text("Probable")
    expect(page.get_by_test_id("proposals")).to_have_count(0)
    shoot("safety-patient-physician")


def test_grade_3_event_marks_withdrawal_until_the_physician_records_off_study(login, site, shoot):
    today = timezone.localdate()
    nurse = site["users"]["nurse"]
    patient = enrol(nurse, start=today - timedelta(days=30), today=today)
    page = login("nurse")
    page.goto(f"{site['url']}/patients/{patient.study_id}/")
    page.get_by_role("link", name="Record adverse event").click()
    page.get_by_label("CTCAE v5.0 term").select_option("Diarrhea")
    expect(page.get_by_test_id("grade-choice")).to_contain_text("Increase of ≥7 stools per day")
    page.locator("input[name=grade][value='3']").check()
    page.get_by_label("Relation to sirolimus").select_option("possible")
    page.locator("input[name=serious][value='yes']").check()
    shoot("safety-ae-form")
    page.get_by_label("Onset date").fill((today + timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Save adverse event").click()
    expect(page.locator("#id_onset_date").locator("xpath=..")).to_contain_text("Cannot be in the future.")
    expect(page.locator("input[name=grade][value='3']")).to_be_checked()  # what was entered is kept
    page.get_by_label("Onset date").fill(today.isoformat())
    page.get_by_role("button", name="Save adverse event").click()
    expect(page.get_by_test_id("withdrawal-alert")).to_contain_text("Marked for withdrawal")
    expect(page.get_by_test_id("withdrawal-alert").get_by_role("link")).to_have_count(0)

    page = login("physician")
    page.get_by_role("link", name="Safety", exact=True).click()
    expect(page.get_by_test_id("withdrawals")).to_contain_text(f"{patient.study_id} marked")
    shoot("safety-study-physician")
    page.get_by_test_id("withdrawals").get_by_role("link", name="Record off study").click()
    page.get_by_label("Reason").fill("Grade 3 diarrhea: withdrawn per protocol")
    shoot("safety-off-study")
    page.get_by_role("button", name="Record off study").click()
    expect(page.get_by_test_id("off-study")).to_contain_text("Grade 3 diarrhea: withdrawn per protocol")


def test_monitor_and_data_manager_read_safety_without_edit_controls(login, site, shoot):
    today = timezone.localdate()
    nurse = site["users"]["nurse"]
    patient = enrol(nurse, start=today - timedelta(days=20), today=today)
    event(patient, nurse, on=today - timedelta(days=3), term="Rash acneiform", grade=1)
    event(patient, nurse, on=today - timedelta(days=2), term="Mucositis oral", grade=2)
    for role in ("monitor", "data_manager"):
        page = login(role)
        page.goto(f"{site['url']}/patients/{patient.study_id}/")
        panel = page.get_by_test_id("safety-panel")
        expect(panel.get_by_test_id("adverse-events")).to_contain_text("Rash acneiform")
        expect(panel.get_by_role("link", name="Enter safety labs")).to_have_count(0)
        expect(panel.get_by_role("link", name="Edit")).to_have_count(0)
        shoot(f"safety-patient-{role}")
        page.get_by_role("link", name="Safety", exact=True).click()
        expect(page.get_by_test_id("study-events")).to_contain_text("Mucositis oral")
        shoot(f"safety-study-{role}")
        page.get_by_test_id("inbox-link").click()
        expect(page.get_by_test_id("inbox")).to_contain_text("Nothing in your inbox")
    page.get_by_role("link", name="Study report", exact=True).click()
    expect(page.get_by_test_id("ae-table")).to_contain_text("Mucositis oral")
    shoot("safety-report-data-manager")


def test_nurse_records_treg_and_registers_a_healthy_control(login, site, shoot):
    today = timezone.localdate()
    patient = enrol(site["users"]["nurse"], start=today - timedelta(days=2), today=today)
    page = login("nurse")
    page.goto(f"{site['url']}/patients/{patient.study_id}/")
    page.get_by_role("link", name="Treg value").click()
    page.get_by_label("Timepoint").select_option("baseline")
    page.get_by_label("Sample date").fill(today.isoformat())
    page.get_by_label("Treg, CD4+CD25high CD127low (% of CD4+)").fill("5.6")
    shoot("safety-treg-form")
    page.get_by_role("button", name="Save Treg value").click()
    expect(page.get_by_test_id("treg")).to_contain_text("5.6%")

    page.get_by_role("link", name="Safety", exact=True).click()
    page.get_by_role("link", name="Healthy controls").click()
    page.get_by_role("link", name="Register a control").click()
    page.get_by_label("Control id").fill("HC-01")
    page.get_by_label("Treg, CD4+CD25high CD127low (% of CD4+)").fill("5.2")
    shoot("safety-control-form")
    page.get_by_role("button", name="Save control").click()
    expect(page.get_by_test_id("controls")).to_contain_text("HC-01")
    shoot("safety-controls")
