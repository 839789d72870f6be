"""A physician signs a visit and it locks; a nurse is refused its edit form; exports are for data managers."""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import PASSWORD, enrol, record

pytestmark = pytest.mark.browser


@pytest.fixture
def patient(site):
    today = timezone.localdate()
    nurse = site["users"]["nurse"]
    patient = enrol(nurse, start=today - timedelta(days=16), today=today)
    record(patient, nurse, "week1", day=7, platelets=45, today=today)
    record(patient, nurse, "week2", day=14, platelets=60, today=today)
    return patient


def test_physician_signs_a_visit_and_the_nurse_is_refused_its_edit_form(page, login, site, patient, shoot):
    login("physician")
    page.goto(f"{site['url']}/patients/{patient.study_id}/")
    week1 = page.get_by_test_id("visits").locator("tr[data-code=week1]")
    week1.get_by_role("link", name="Sign").click()
    expect(page.get_by_text("reviewed and approved").first).to_be_visible()
    page.get_by_label("Your password (re-enter to sign)").fill("wrong-password")
    page.get_by_role("button", name="Sign").click()
    expect(page.get_by_text("The password is not correct; nothing was signed.")).to_be_visible()
    page.get_by_label("Your password (re-enter to sign)").fill(PASSWORD)
    shoot("sign-visit")
    page.get_by_role("button", name="Sign").click()

    week1 = page.get_by_test_id("visits").locator("tr[data-code=week1]")
    expect(week1.get_by_test_id("lock")).to_contain_text(site["users"]["physician"].get_full_name())
    expect(week1.get_by_role("link", name="Edit")).to_have_count(0)
    week2 = page.get_by_test_id("visits").locator("tr[data-code=week2]")
    expect(week2.get_by_role("link", name="Edit")).to_be_visible()
    shoot("patient-signed-visit")

    visit_id = patient.visits.get(slot__code="week1").pk
    page.get_by_role("button", name="Log out").click()
    login("nurse")
    response = page.goto(f"{site['url']}/visits/{visit_id}/edit/")
    assert response.status == 403
    expect(page.get_by_test_id("lock-reason")).to_contain_text(
        f"Locked: reviewed and approved by {site['users']['physician'].get_full_name()}")
    shoot("visit-locked")


def test_data_manager_downloads_visits_csv_and_a_nurse_gets_403(page, login, site, patient, shoot):
    login("data_manager")
    page.get_by_role("link", name="Exports").click()
    expect(page.get_by_test_id("datasets").locator("tr[data-dataset=visits]")).to_contain_text("3 rows")
    shoot("exports")
    with page.expect_download() as download:
        page.get_by_test_id("datasets").locator("tr[data-dataset=visits]").get_by_role("link", name="CSV").click()
    downloaded = Path(download.value.path()).read_bytes()
    assert downloaded.startswith(b"\xef\xbb\xbf")  # the page's links ask for Excel's byte-order mark
    rows = list(csv.DictReader(io.StringIO(downloaded.decode("utf-8-sig"))))
    assert [(r["study_id"], r["visit"], r["day"], r["platelets"], r["category"]) for r in rows] == [
        (patient.study_id, "baseline", "0", "15.0", "NR"),
        (patient.study_id, "week1", "7", "45.0", "R"),
        (patient.study_id, "week2", "14", "60.0", "R"),
    ]
    page.reload()
    expect(page.get_by_test_id("export-log")).to_contain_text("visits")

    page.get_by_role("button", name="Log out").click()
    login("nurse")
    expect(page.get_by_role("link", name="Exports")).to_have_count(0)
    response = page.goto(f"{site['url']}/reports/exports/visits.csv")
    assert response.status == 403
