"""The study report in Chromium on the demo study: Tables 1–5 and Figures 1–2 with every cell filled, and the
PDF and JSON downloads (each logged)."""

import json
from io import BytesIO

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from itp_trial.management.commands.load_demo import DEMO_AS_OF, DEMO_FILE, shift_dates
from reports.importer import study_import
from reports.models import ExportLog

pytestmark = pytest.mark.browser
TABLES = ("table1", "table2", "table3", "table4", "table5", "table5-comparisons", "figure2-table")


@pytest.fixture
def demo(site):
    """The demo study, dated as `make run` dates it (its last day is today)."""
    today = timezone.localdate()
    document = shift_dates(json.loads(DEMO_FILE.read_text()), (today - DEMO_AS_OF).days)
    study_import(document=document, user=site["users"]["data_manager"], reason="demo", today=today)


def test_the_study_report_shows_every_table_and_figure_and_downloads_pdf_and_json(page, login, site, demo, shoot,
                                                                                  tmp_path):
    login("physician")
    page.get_by_role("link", name="Study report", exact=True).click()
    expect(page.get_by_role("heading", name="Study report")).to_be_visible()
    for test_id in TABLES:
        table = page.get_by_test_id(test_id)
        expect(table).to_be_visible()
        cells = table.locator("td").all_inner_texts()
        assert cells and all(text.strip() not in ("", "—") for text in cells), (test_id, cells)
    expect(page.get_by_test_id("table1-age")).to_have_text("53 (13–76)")
    month6 = page.get_by_test_id("table2").locator("tr[data-visit=month6]")
    expect(month6.get_by_test_id("rate-evaluated")).to_have_text("82% (9/11)")
    expect(month6.get_by_test_id("rate-enrolled")).to_have_text("56% (9/16)")
    expect(page.get_by_test_id("table2-test")).to_contain_text("Freeman–Halton")
    expect(page.get_by_test_id("normality")).to_contain_text("the Friedman test")
    expect(page.get_by_test_id("table4").locator("tr[data-factor]")).to_have_count(4)
    for figure in ("figure1", "figure2"):
        expect(page.get_by_test_id(figure).locator("img")).to_be_visible()
    page.wait_for_function("() => [...document.querySelectorAll('figure img')]"
                           ".every(img => img.complete && img.naturalWidth > 500)")
    assert page.locator("script:not([src])").count() == 0  # no inline script (CSP)
    shoot("study-report")

    with page.expect_download() as pdf_download:
        page.get_by_test_id("download-pdf").click()
    pdf = tmp_path / "report.pdf"
    pdf_download.value.save_as(pdf)
    reader = PdfReader(BytesIO(pdf.read_bytes()))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) >= 3
    for heading in ("Table 1.", "Table 2.", "Table 3.", "Figure 1.", "Figure 2.", "Table 4.", "Table 5.",
                    "Adverse events"):
        assert heading in text, heading
    assert pdf_download.value.suggested_filename == f"study-report-{timezone.localdate()}.pdf"

    with page.expect_download() as json_download:
        page.get_by_test_id("download-json").click()
    document = json.loads(json_download.value.path().read_text())
    assert {"baseline", "timepoints", "table1", "table2_test", "table3_normality", "table4", "table5"} <= set(document)
    assert document["table1"]["n"] == 20

    logs = list(ExportLog.objects.order_by("started_at").values_list("actor", "via", "dataset", "rows"))
    physician = site["users"]["physician"].username
    assert logs == [(physician, "web", "study-report.pdf", 20), (physician, "web", "study-report.json", 20)]


def test_a_nurse_has_no_study_report(page, login, site):
    login("nurse")
    expect(page.get_by_role("link", name="Study report")).to_have_count(0)
    assert page.goto(f"{site['url']}/reports/response/study-report.pdf").status == 403
