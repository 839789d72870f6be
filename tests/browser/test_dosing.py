"""A nurse records a high trough; the page flags it and suggests a dose; the physician accepts it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dosing.tests.factories import con_med, dose
from tests.factories import enrol

pytestmark = pytest.mark.browser


@pytest.fixture
def adult_on_2_mg(site):
    today = timezone.localdate()
    physician = site["users"]["physician"]
    patient = enrol(physician, start=today - timedelta(days=10), today=today)
    dose(patient, physician, day=0, mg=2, today=today)
    return patient


def open_patient(page, site, patient):
    page.goto(f"{site['url']}/patients/{patient.study_id}/")
    expect(page.get_by_role("heading", name=patient.study_id)).to_be_visible()


def test_nurse_enters_a_high_trough_and_the_physician_accepts_the_suggestion(login, site, shoot, adult_on_2_mg):
    patient = adult_on_2_mg
    page = login("nurse")
    open_patient(page, site, patient)
    panel = page.get_by_test_id("dosing-panel")
    expect(panel.get_by_test_id("current-dose")).to_have_text("2 mg/day")
    panel.get_by_role("link", name="Trough level").click()
    page.get_by_label("Sirolimus level (ng/mL)").fill("19.5")
    page.get_by_label("Hours since the last dose").fill("24")
    page.get_by_label("Laboratory").fill("Central lab")
    shoot("dosing-trough-form")
    page.get_by_role("button", name="Save level").click()

    expect(page.get_by_role("alert").first).to_contain_text("Level 19.5 ng/mL saved: high.")
    row = page.get_by_test_id("troughs").locator("tbody tr").first
    expect(row).to_contain_text("high")
    expect(row.get_by_test_id("suggestion")).to_contain_text("1.0 mg/day")
    expect(row.get_by_test_id("suggestion")).to_contain_text("2 mg × 10 / 19.5 = 1.03 → 1.0 mg/day")
    expect(row.get_by_test_id("review")).to_contain_text("awaiting physician")
    expect(row.get_by_role("link", name="Accept")).to_have_count(0)
    shoot("dosing-patient-nurse")

    page.get_by_role("button", name="Log out").click()
    page = login("physician")
    open_patient(page, site, patient)
    page.get_by_test_id("troughs").locator("tbody tr").first.get_by_role("link", name="Accept").click()
    expect(page.get_by_test_id("review-summary")).to_contain_text("2 mg × 10 / 19.5 = 1.03 → 1.0 mg/day")
    shoot("dosing-accept")
    page.get_by_role("button", name="Accept and change the dose").click()

    expect(page.get_by_role("alert").first).to_contain_text("Suggestion accepted: 1 mg/day")
    expect(page.get_by_test_id("current-dose")).to_have_text("1 mg/day")
    doses = page.get_by_test_id("doses").locator("tbody tr")
    expect(doses.first).to_contain_text("Adjustment")
    expect(doses.first).to_contain_text("Trough 19.5 ng/mL")
    expect(doses.first).to_contain_text(site["users"]["physician"].get_full_name())
    expect(page.get_by_test_id("troughs").get_by_test_id("review")).to_contain_text("Suggestion accepted by")
    expect(page.get_by_test_id("next-check")).to_contain_text("7-14 days after the dose change of")
    shoot("dosing-patient-physician")

    doses.first.get_by_role("link", name="History").click()
    history = page.get_by_test_id("history")
    expect(history.locator("tbody tr").first).to_contain_text("created")
    expect(history.locator("tbody tr").first).to_contain_text(site["users"]["physician"].get_full_name())
    shoot("dosing-dose-history")
    page.go_back()
    page.get_by_test_id("troughs").locator("tbody tr").first.get_by_role("link", name="History").click()
    expect(page.get_by_test_id("history")).to_contain_text("Suggestion accepted: 1 mg/day")
    shoot("dosing-trough-history")
    assert patient.dose_changes.order_by("-start_date").first().mg_per_day == Decimal("1.0")


def test_entry_forms_dismiss_and_the_study_list(login, site, shoot, adult_on_2_mg):
    patient = adult_on_2_mg
    con_med(patient, site["users"]["nurse"], name="Voriconazole", indication="fungal infection", day=5,
            today=timezone.localdate())
    page = login("physician")
    open_patient(page, site, patient)
    expect(page.get_by_test_id("interaction-warning")).to_contain_text("Voriconazole")
    expect(page.get_by_test_id("grapefruit")).to_contain_text("grapefruit")

    page.get_by_role("link", name="Dose change").click()
    page.get_by_label("Start date").fill(timezone.localdate().isoformat())
    page.get_by_label("Dose (mg/day)").fill("6")
    page.get_by_label("Phase").select_option("adjustment")
    page.get_by_role("button", name="Save dose").click()
    expect(page.locator("#id_out_of_range_reason").locator("xpath=..")).to_contain_text(
        "6 mg/day is outside the adult adjustment range")
    expect(page.get_by_label("Dose (mg/day)")).to_have_value("6")  # what was typed is kept
    shoot("dosing-dose-form-out-of-range")
    page.get_by_role("link", name="Cancel").click()

    page.get_by_role("link", name="Concomitant medication").click()
    page.get_by_label("Medication").fill("Prednisone")
    page.get_by_label("Dose", exact=True).fill("10 mg/day")
    page.get_by_label("Start date").fill(timezone.localdate().isoformat())
    page.get_by_label("Indication").fill("ITP, glucocorticoid taper")
    page.get_by_label("Step of a glucocorticoid taper").check()
    shoot("dosing-con-med-form")
    page.get_by_role("button", name="Save medication").click()
    expect(page.get_by_test_id("con-meds")).to_contain_text("taper step")

    page.get_by_role("link", name="Trough level").click()
    page.get_by_label("Sirolimus level (ng/mL)").fill("3.1")
    page.get_by_label("Hours since the last dose").fill("4")
    page.get_by_role("button", name="Save level").click()
    row = page.get_by_test_id("troughs").locator("tbody tr").first
    expect(row).to_contain_text("not a trough")
    row.get_by_role("link", name="Dismiss").click()
    page.get_by_label("Reason for dismissing the suggestion").fill("Drawn 4 h after the dose; repeat as a trough")
    shoot("dosing-dismiss")
    page.get_by_role("button", name="Dismiss the suggestion").click()
    expect(page.get_by_test_id("troughs").locator("tbody tr").first).to_contain_text("Suggestion dismissed")

    page.get_by_role("link", name="Drug monitoring").click()
    listing = page.get_by_test_id("monitoring")
    expect(listing.locator(f"tr[data-study-id={patient.study_id}]")).to_contain_text("Voriconazole")
    shoot("dosing-monitoring")

    open_patient(page, site, patient)
    page.get_by_role("link", name="Stop sirolimus").click()
    page.get_by_label("Reason for stopping").fill("Grade 3 adverse event")
    shoot("dosing-stop-form")
    page.get_by_role("button", name="Stop sirolimus").click()
    expect(page.get_by_test_id("current-dose")).to_have_text("stopped")
    expect(page.get_by_test_id("follow-up")).to_contain_text("Safety follow-up until")
    shoot("dosing-patient-stopped")
