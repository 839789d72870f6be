"""A study nurse enrols a patient, records a week-1 response, corrects it with a reason, reads the history."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def fill_enrolment(page, *, start, baseline="12", second_line="None: no second-line therapy before sirolimus"):
    for label in ("Primary ITP", "At least two low platelet counts", "Normal blood cell morphology",
                  "No splenomegaly on examination", "Bone-marrow megakaryocytes normal or raised",
                  "Secondary causes excluded",
                  "Treated first-line (glucocorticoids and/or IVIG) and relapsed or did not respond"):
        page.get_by_label(label, exact=True).check()
    page.get_by_label(second_line, exact=True).check()
    page.get_by_label("Written consent date").fill((start - timedelta(days=1)).isoformat())
    page.get_by_label("Consent form version").fill("2.1")
    page.get_by_label("Consent obtained by").fill("Dr Wang")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("Birth date").fill("1971-05-02")
    page.get_by_label("Weight (kg)").fill("61.5")
    page.get_by_label("ITP diagnosis date").fill("2024-01-10")
    page.get_by_label("Glucocorticoids", exact=True).check()
    page.get_by_label("Early glucocorticoid therapy effective").select_option("true")
    page.get_by_label("Sirolimus start (day 0, first dose)").fill(start.isoformat())
    page.get_by_label("Baseline count date").fill(start.isoformat())
    page.get_by_label("Baseline platelet count (×10⁹/L)").fill(baseline)
    page.locator("input[name=baseline_bleeding_grade][value='0']").check()


def test_nurse_enrols_records_week1_response_edits_with_reason_and_sees_history(login, site, shoot):
    page = login("nurse")
    start = timezone.localdate() - timedelta(days=8)
    page.get_by_role("link", name="Enrol a patient").click()
    fill_enrolment(page, start=start)
    shoot("enrol-form")
    page.get_by_role("button", name="Enrol").click()

    expect(page.get_by_role("heading", name="ITP-001")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("ITP-001 enrolled")
    schedule = page.get_by_test_id("schedule")
    expect(schedule.locator("tr[data-code=baseline]")).to_contain_text("done")
    expect(schedule.locator("tr[data-code=week1]")).to_contain_text("overdue")  # target was yesterday

    schedule.locator("tr[data-code=week1]").get_by_role("link", name="Record").click()
    page.get_by_label("Platelet count (×10⁹/L)").fill("31")
    page.locator("input[name=bleeding_grade][value='0']").check()
    page.get_by_role("button", name="Save visit").click()

    expect(page.get_by_role("alert").first).to_contain_text("Week 1 saved: category R")
    visits = page.get_by_test_id("visits")
    expect(visits.locator("tr[data-code=week1] [data-testid=category]")).to_have_text("R")
    expect(page.get_by_test_id("current-status")).to_have_text("R")
    shoot("patient-page")

    visits.locator("tr[data-code=week1]").get_by_role("link", name="Edit").click()
    page.get_by_label("Platelet count (×10⁹/L)").fill("35")
    page.get_by_role("button", name="Save visit").click()
    expect(page.locator("#id_reason").locator("xpath=..")).to_contain_text("Give a reason for changing a saved record.")
    expect(page.get_by_label("Platelet count (×10⁹/L)")).to_have_value("35")  # what was typed is kept
    shoot("visit-edit-needs-reason")
    page.get_by_label("Reason for change").fill("Lab re-check of the same sample")
    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_test_id("visits").locator("tr[data-code=week1] td").nth(3)).to_have_text("35")

    page.get_by_test_id("visits").locator("tr[data-code=week1]").get_by_role("link", name="History").click()
    history = page.get_by_test_id("history")
    first = history.locator("tbody tr").first
    expect(first).to_contain_text("platelet count")
    expect(first).to_contain_text("31 → 35")  # counts as entered, not "31.0"
    expect(first).to_contain_text("Lab re-check of the same sample")
    expect(first).to_contain_text(site["users"]["nurse"].get_full_name())
    expect(history.locator("tbody tr").last).to_contain_text("created")
    shoot("visit-history")


def test_bad_enrolment_input_is_explained_next_to_the_field_and_kept(login, shoot):
    page = login("nurse")
    start = timezone.localdate() - timedelta(days=2)
    page.goto(page.url.replace("/patients/", "/patients/enrol/"))
    fill_enrolment(page, start=start, baseline="2000", second_line="Stopped at least 1 month before sirolimus start")
    rows = page.get_by_test_id("second-line-row")
    rows.first.get_by_label("Second-line therapy").select_option("eltrombopag")
    rows.first.get_by_label("Stop date").fill((start - timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Enrol").click()

    platelets = page.get_by_label("Baseline platelet count (×10⁹/L)")
    expect(platelets.locator("xpath=..")).to_contain_text("Must be between 0 and 1500.")
    expect(page.get_by_label("Consent form version")).to_have_value("2.1")
    shoot("enrol-errors")

    platelets.fill("14")
    page.get_by_role("button", name="Enrol").click()
    ack = page.locator("#div_id_washout_warning_acknowledged")
    expect(ack).to_contain_text("Eltrombopag stopped on")
    expect(ack).to_contain_text("10 days before sirolimus start")
    page.get_by_label("I acknowledge a second-line therapy was stopped less than 1 month before start").check()
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_role("heading", name="ITP-001")).to_be_visible()
    expect(page.get_by_text("recent second-line therapy acknowledged")).to_be_visible()
