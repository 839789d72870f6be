"""The archive casebook PDF: who may download it, what it holds (Chinese text too), that it is logged like an export."""

import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from dosing.tests.factories import dosing_records
from patients.models import Consent
from patients.services import patient_update
from reports.models import ExportLog
from safety.tests.builders import safety_records
from tests.factories import enrol, record, sign_casebook
from visits.services import VisitValues, visit_update

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_language_after():
    """A request in Chinese leaves its language active in this thread: give the next test the site's again."""
    yield
    translation.deactivate()


@pytest.fixture
def patient(nurse, physician):
    today = timezone.localdate()
    patient = enrol(nurse, start=today - timedelta(days=15), baseline=12, today=today)
    week1 = record(patient, nurse, "week1", day=7, platelets=45, today=today)
    visit_update(visit=week1, values=VisitValues(visit_date=week1.visit_date, platelets=Decimal(47), bleeding_grade=0),
                 user=nurse, reason="transcription error", version=week1.version, today=today)
    dosing_records(patient, nurse, today=today)
    safety_records(patient, nurse, today=today)
    patient_update(patient=patient, changes={"initials": "W.L."}, user=nurse, reason="ward list",
                   version=patient.version)
    consent = Consent.objects.get(patient=patient)
    consent.obtained_by = "王医生 (Dr Wang)"
    consent.save()
    sign_casebook(patient, physician, up_to=today)
    return patient


def pdf_text(pdf: bytes, tmp_path) -> str:
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is installed by .ci/run"
    path = tmp_path / "casebook.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


@pytest.mark.parametrize("role, status", [("physician", 200), ("monitor", 200), ("data_manager", 200),
                                          ("nurse", 403)])
def test_who_may_download_the_casebook(client, users, patient, role, status):
    client.force_login(users[role])
    response = client.get(reverse("reports:casebook_pdf", args=[patient.study_id]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'attachment; filename="casebook-{patient.study_id}.pdf"'
        assert response.content.startswith(b"%PDF-")
    assert ExportLog.objects.filter(dataset=f"casebook:{patient.study_id}").count() == (1 if status == 200 else 0)


def test_the_casebook_holds_the_whole_record_and_is_logged(client, users, patient, tmp_path):
    client.force_login(users["monitor"])
    response = client.get(reverse("reports:casebook_pdf", args=[patient.study_id]))
    text = pdf_text(response.content, tmp_path)
    for expected in (
        f"Casebook {patient.study_id}",
        "Demographics and ITP history", "Eligibility and consent", "Primary ITP",
        "Visits and response", "baseline", "47.0",  # the baseline is labelled baseline; the corrected count
        "Sirolimus dosing and drug monitoring", "19.5", "Prednisone",
        "Adverse events (CTCAE)", "Diarrhea", "Alanine aminotransferase",
        "Signatures", "reviewed and approved", "casebook up to",
        "Audit history", "transcription error", "45.0",  # the count before its correction
        "王医生",
    ):
        assert expected in text, expected
    assert "W.L." not in text and "ward list" not in text  # identifying values stay out, like every export
    path = tmp_path / "fonts.pdf"
    path.write_bytes(response.content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
    assert any(name in fonts for name in ("CJK", "WenQuanYi", "DroidSansFallback")), fonts  # Chinese has a font
    log = ExportLog.objects.get(dataset=f"casebook:{patient.study_id}")
    assert (log.user, log.via) == (users["monitor"], "web") and log.finished_at is not None and log.rows > 10


def test_the_patient_page_links_the_casebook_for_readers_not_nurses(client, users, patient):
    url = reverse("patients:detail", args=[patient.study_id])
    link = reverse("reports:casebook_pdf", args=[patient.study_id])
    client.force_login(users["monitor"])
    assert link in client.get(url).content.decode()
    client.force_login(users["nurse"])
    assert link not in client.get(url).content.decode()


def test_the_casebook_and_the_study_report_in_chinese(client, users, patient, tmp_path):
    client.force_login(users["physician"])
    chinese = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
    casebook = pdf_text(client.get(reverse("reports:casebook_pdf", args=[patient.study_id]), **chinese).content,
                        tmp_path)
    for expected in ("病例报告表", "入组资格与知情同意", "访视与疗效", "西罗莫司给药与治疗药物监测",
                     "不良事件（CTCAE）", "稽查轨迹",
                     "transcription error", "王医生"):  # what people wrote stays as written
        assert expected in casebook, expected
    assert "Visits and response" not in casebook
    report = pdf_text(client.get(reverse("reports:report_pdf"), **chinese).content, tmp_path)
    for expected in ("西罗莫司治疗原发免疫性血小板减少症：研究报告", "表 1. 患者的临床特征", "表 2. 各时间点的疗效"):
        assert expected in report, expected
