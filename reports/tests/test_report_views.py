"""The study report page, its figures and its PDF/JSON downloads: content, logging, query counts."""

import base64
import json
import re
from datetime import date
from io import BytesIO, StringIO
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from reports.downloads import PDF_TEMPLATE, pdf_context
from reports.models import ExportLog
from reports.tests.bulk import bulk_patients
from tests.factories import enrol, record

pytestmark = pytest.mark.django_db
PAGE = "/reports/response/"


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", [PAGE, "/reports/response/figure-1.svg", "/reports/response/figure-2.svg",
                                  "/reports/response/study-report.json"],
                         ids=["page", "figure1", "figure2", "json"])
def test_query_count_does_not_grow_with_patients(client, physician, path, django_assert_num_queries):
    bulk_patients(10, user=physician, start=date(2025, 5, 1))
    client.force_login(physician)
    client.get(path)  # warm per-process caches (content types, permissions)
    at_10 = queries(client, path)
    bulk_patients(190, user=physician, start=date(2025, 5, 1), first_number=11)
    with django_assert_num_queries(at_10):
        assert client.get(path).status_code == 200


@pytest.fixture
def study(nurse):
    today = timezone.localdate()
    start = date(today.year - 1, today.month, 1)
    for number, counts in enumerate(([12, 25, 46, 78], [15, 41, 52, 38], [8, 10, 14, 12], [20, 45, 45, 60]), 1):
        patient = enrol(nurse, start=start, baseline=counts[0], today=today, birth=date(1960 + 5 * number, 1, 1))
        for code, day, count in zip(("week1", "week2", "week3"), (7, 14, 21), counts[1:], strict=True):
            record(patient, nurse, code, day=day, platelets=count, today=today)
    return today


def test_the_page_shows_every_table_and_names_every_method(client, physician, study):
    client.force_login(physician)
    page = client.get(PAGE).content.decode()
    for test_id in ("table1", "table2", "table3", "figure1", "figure2", "table4", "table5", "ae-table"):
        assert f'data-testid="{test_id}"' in page, test_id
    for method in ("Freeman–Halton", "Shapiro–Wilk", "Friedman test", "logistic regression", "one-way ANOVA",
                   "repeated-measures ANOVA"):
        assert method in page, method
    assert 'src="/reports/response/figure-1.svg"' in page and 'src="/reports/response/figure-2.svg"' in page
    assert "<script>" not in page


def test_figures_are_svg_documents(client, physician, study):
    client.force_login(physician)
    for number in (1, 2):
        response = client.get(f"/reports/response/figure-{number}.svg")
        assert response["Content-Type"] == "image/svg+xml"
        assert ElementTree.fromstring(response.content).tag == "{http://www.w3.org/2000/svg}svg"
    assert client.get("/reports/response/figure-3.svg").status_code == 404


def test_the_json_download_is_the_commands_document_and_is_logged(client, physician, study):
    client.force_login(physician)
    response = client.get("/reports/response/study-report.json")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="study-report-{study}.json"'
    out = StringIO()
    call_command("study_report", "--json", stdout=out)
    assert json.loads(response.content) == json.loads(out.getvalue())
    log = ExportLog.objects.get()
    assert (log.user, log.actor, log.via, log.dataset, log.rows) == (physician, physician.username, "web",
                                                                     "study-report.json", 4)
    assert log.finished_at is not None


def test_the_pdf_download_holds_the_whole_report_and_is_logged(client, monitor, study):
    client.force_login(monitor)
    response = client.get("/reports/response/study-report.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="study-report-{study}.pdf"'
    reader = PdfReader(BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for heading in ("Table 1. Clinical characteristics", "Table 2. Response by timepoint", "Table 3. Platelet count",
                    "Figure 1.", "Figure 2.", "Table 4. Factors", "Table 5. Treg", "Adverse events"):
        assert heading in text, heading
    assert "n = 4 enrolled patients" in text
    for caption in ("Figure 1.", "Figure 2."):  # the SVG is drawn as vector paths on the caption's page
        (page,) = [p for p in reader.pages if caption in p.extract_text()]
        drawing = page.get_contents().get_data()
        assert drawing.count(b" c\n") + drawing.count(b" l\n") > 500, caption
    assert list(ExportLog.objects.values_list("dataset", "rows")) == [("study-report.pdf", 4)]


def test_the_pdf_inlines_both_figures_as_svg(study):
    html = render_to_string(PDF_TEMPLATE, pdf_context(today=study))
    sources = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert len(sources) == 2
    figure1 = ElementTree.fromstring(base64.b64decode(sources[0]))
    ids = {element.get("id") for element in figure1.iter()}
    assert {"patient-ITP-001", "patient-ITP-004"} <= ids
    assert "https://" not in html.replace("https://pdf.invalid", "")
