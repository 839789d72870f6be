"""A monitor reads a patient's whole history, narrows it to one record type and opens one record's history; a
data manager downloads the study interchange document from the Exports page."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dosing.models import Trough
from dosing.services import TroughValues, trough_update
from reports.importer import study_import
from reports.interchange_export import study_document
from reports.tests.generated import GENERATED_AS_OF, generated_study

pytestmark = pytest.mark.browser


@pytest.fixture
def study(site):
    users = site["users"]
    study_import(document=generated_study(2), user=users["data_manager"], reason="migrated from the old site",
                 today=GENERATED_AS_OF)
    trough = Trough.objects.filter(patient__study_id="ITP-002").order_by("sample_date").first()
    trough_update(trough=trough, values=TroughValues(sample_date=trough.sample_date, ng_ml=Decimal("14.5"),
                                                     sample_time=trough.sample_time,
                                                     hours_since_dose=trough.hours_since_dose, lab=trough.lab),
                  user=users["nurse"], reason="transcription error", version=trough.version, today=GENERATED_AS_OF)
    return trough


def test_monitor_reads_the_whole_history_filters_it_and_opens_a_record(login, site, study, shoot):
    page = login("monitor")
    page.goto(f"{site['url']}/patients/ITP-002/")
    page.get_by_role("link", name="History", exact=True).first.click()
    expect(page.get_by_role("heading", name="History of ITP-002")).to_be_visible()
    rows = page.get_by_test_id("history").locator("tbody tr")
    expect(rows.first).to_contain_text("transcription error")  # the newest entry first
    expect(rows.first).to_contain_text(site["users"]["nurse"].get_full_name())
    types = {rows.nth(i).get_attribute("data-type") for i in range(rows.count())}
    assert {"patient", "visit", "dose", "trough", "lab_value", "adverse_event", "ae_proposal", "treg",
            "signature"} <= types
    shoot("patient-whole-history")

    page.get_by_label("Record type").select_option(label="Sirolimus doses")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("history-count")).to_have_text("2 entries")
    assert {rows.nth(i).get_attribute("data-type") for i in range(rows.count())} == {"dose"}
    expect(page.get_by_label("Record type")).to_have_value("dose")

    page.get_by_label("Record type").select_option(label="Trough levels")
    page.get_by_role("button", name="Show").click()
    changed = page.get_by_test_id("history").locator("tr[data-action=changed]")
    expect(changed).to_have_count(1)
    expect(changed.get_by_test_id("change")).to_have_text("level (ng/mL): 16.5 → 14.5")
    changed.get_by_role("link", name="Trough level").click()

    expect(page.get_by_role("heading", name="History of ITP-002 · Trough level")).to_be_visible()
    entries = page.get_by_test_id("history").locator("tbody tr")
    expect(entries).to_have_count(2)
    expect(entries.first).to_contain_text("transcription error")
    created = page.get_by_test_id("history").locator("tr[data-action=created]")
    expect(created).to_contain_text("migrated from the old site")
    expect(created.get_by_test_id("change").filter(has_text="level (ng/mL)")).to_have_text("level (ng/mL): 16.5")
    shoot("trough-history")
    for name in ("Edit", "Correct"):
        expect(page.get_by_role("link", name=name)).to_have_count(0)


def test_the_history_of_an_adverse_event_and_of_a_visit_with_its_signature(login, site, study):
    page = login("nurse")
    page.goto(f"{site['url']}/history/patients/ITP-002/?type=adverse_event")
    page.get_by_test_id("history").locator("tbody tr").filter(has_text="Diarrhea").get_by_role(
        "link", name="Adverse event").click()
    expect(page.get_by_role("heading", name="History of ITP-002 · Adverse event")).to_be_visible()
    created = page.get_by_test_id("history").first.locator("tr[data-action=created]")
    expect(created).to_contain_text("CTCAE term: Diarrhea")
    expect(created).to_contain_text("grade: 1")

    page.goto(f"{site['url']}/history/patients/ITP-002/?type=ae_proposal")  # confirmed from the lab
    page.get_by_test_id("history").get_by_role("link", name="Proposed adverse event").first.click()
    expect(page.get_by_test_id("history").first.locator("tr[data-action=changed]")).to_contain_text(
        "confirmed by physician")

    page.goto(f"{site['url']}/history/patients/ITP-002/?type=visit")
    page.get_by_test_id("history").get_by_role("link", name="Visit").last.click()  # the oldest: baseline
    expect(page.get_by_role("heading", name="Signature: ITP-002 visit of")).to_be_visible()
    page.get_by_role("link", name="Whole history of ITP-002").click()
    expect(page.get_by_role("heading", name="History of ITP-002")).to_be_visible()


def test_data_manager_downloads_the_study_document(login, site, study, shoot):
    page = login("data_manager")
    page.get_by_role("link", name="Exports").click()
    shoot("exports-with-study-document")
    with page.expect_download() as download:
        page.get_by_test_id("export-study").click()
    content = Path(download.value.path()).read_bytes()
    document = json.loads(content)
    assert document == study_document()
    assert [p["study_id"] for p in document["patients"]] == ["ITP-001", "ITP-002"]
    assert {"doses", "troughs", "labs", "ae_proposals", "signatures"} <= set(document["patients"][1])
    assert download.value.suggested_filename.startswith("itp-trial-study-")
    page.reload()
    expect(page.get_by_test_id("export-log")).to_contain_text("study.json")
