"""Downloads of the whole study report (PDF and JSON), each logged like a dataset export (who, when, what)."""

import base64
import json
from datetime import date

from django.utils import timezone

from .models import ExportLog
from .pdf import render_pdf
from .selectors import study_figure, study_report
from .wording import report_display

PDF_NAME = "study-report.pdf"
JSON_NAME = "study-report.json"
PDF_TEMPLATE = "reports/study_report_pdf.html"


def report_download_log(*, user, name: str, patients: int, via: str = "web") -> ExportLog:
    """One ExportLog row per report download; `rows` holds the number of patients the report covers."""
    now = timezone.now()
    return ExportLog.objects.create(user=user, actor=user.get_username(), via=via, dataset=name, rows=patients,
                                    finished_at=now)


def report_context(*, today: date) -> dict:
    """What the page and the PDF render: the report, its display rows and the date it is as of."""
    report = study_report(today=today)
    return {"report": report, "display": report_display(report), "today": today}


def study_report_json(*, user, today: date) -> bytes:
    """The document `study_report --json` prints, as a download."""
    report = study_report(today=today)
    content = json.dumps(report, indent=2).encode()
    report_download_log(user=user, name=JSON_NAME, patients=report["table1"]["n"])
    return content


def _data_url(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def pdf_context(*, today: date) -> dict:
    """The page's context with both figures inlined as SVG data URLs (the PDF fetches nothing)."""
    context = report_context(today=today)
    context["figures"] = {"one": _data_url(study_figure(number=1)), "two": _data_url(study_figure(number=2))}
    context["generated"] = timezone.now()
    return context


def study_report_pdf(*, user, today: date, request=None) -> bytes:
    """The study report page's content (all tables, both figures, drug monitoring and adverse events) as a PDF."""
    context = pdf_context(today=today)
    content = render_pdf(template_name=PDF_TEMPLATE, context=context, request=request)
    report_download_log(user=user, name=PDF_NAME, patients=context["report"]["table1"]["n"])
    return content
