"""The patient page built from the declared panels: the schedule beside the patient's details, then the visits,
dosing and safety panels in the record types' order, rescue therapy last; off study recorded at its new address
(the old one redirects) and shown at the top."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import enrol
from visits.services import rescue_record

pytestmark = pytest.mark.browser

ORDER_JS = """ids => ids.map(id => {
  const el = document.querySelector(`[data-testid="${id}"]`);
  return el ? [...document.querySelectorAll('*')].indexOf(el) : -1;
})"""


def test_panels_in_the_declared_order_and_off_study_at_the_patient(login, site, shoot):
    today = timezone.localdate()
    nurse = site["users"]["nurse"]
    patient = enrol(nurse, start=today - timedelta(days=20), today=today)
    rescue_record(patient=patient, given_on=today - timedelta(days=3), kind="ivig", details="2 g/kg", user=nurse,
                  today=today)
    page = login("physician")
    page.goto(f"{site['url']}/patients/{patient.study_id}/")
    expect(page.locator(".col-lg-7").get_by_test_id("schedule")).to_contain_text("Week 1")
    ids = ["schedule", "visits", "dosing-panel", "safety-panel", "rescue-therapy"]
    positions = page.evaluate(ORDER_JS, ids)
    assert -1 not in positions and positions == sorted(positions), dict(zip(ids, positions, strict=True))
    expect(page.get_by_test_id("rescue-therapy")).to_contain_text("IVIG · 2 g/kg")
    expect(page.get_by_test_id("visits").locator("tr[data-code=baseline]")).to_be_visible()
    shoot("patient-panels")

    page.goto(f"{site['url']}/safety/patients/{patient.study_id}/off-study/")  # an old bookmark
    expect(page).to_have_url(f"{site['url']}/patients/{patient.study_id}/off-study/")
    page.get_by_label("Off-study date").fill(f"{today:%Y-%m-%d}")
    page.get_by_label("Reason").fill("moved abroad")
    page.get_by_role("button", name="Record off study").click()
    expect(page).to_have_url(f"{site['url']}/patients/{patient.study_id}/")
    expect(page.get_by_test_id("off-study")).to_contain_text(f"Off study since {today:%Y-%m-%d}")
    expect(page.get_by_test_id("off-study")).to_contain_text("moved abroad")
    expect(page.get_by_test_id("schedule").locator("tr[data-code=month1]")).to_contain_text("not done")
