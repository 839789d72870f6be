"""Thin views: errors next to their field, what was typed kept, the right role for each decision."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from safety.models import AdverseEvent, AeProposal, LabSample, TregMeasurement
from safety.tests.builders import alt, lab
from tests.factories import enrol
from tests.pages import post_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def chinese_then_english():
    """A request in Chinese leaves Chinese active in the test's thread: later tests read English again."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def patient(nurse):
    today = date.today()
    return enrol(nurse, start=today - timedelta(days=20), today=today)


def test_lab_form_shows_the_error_next_to_the_field_and_keeps_the_input(client, nurse, patient):
    client.force_login(nurse)
    url = reverse("safety:lab_create", kwargs={"study_id": patient.study_id})
    future = (date.today() + timedelta(days=1)).isoformat()
    response = post_form(client, url, {"sample_date": future, "alt": "100", "alt_unit": "U/L", "alt_uln": "40",
                                 "ast_unit": "U/L", "ast_lln": "50", "ast_uln": "40", "ast": "30"})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["sample_date"] == ["Cannot be in the future."]
    assert form.errors["ast_lln"] == ["Must be below the ULN."]
    assert 'value="100"' in response.content.decode()
    assert not LabSample.objects.exists()


def test_nurse_saves_labs_and_the_physician_dismisses_the_proposal(client, nurse, physician, patient):
    client.force_login(nurse)
    url = reverse("safety:lab_create", kwargs={"study_id": patient.study_id})
    response = post_form(client, url, {"sample_date": date.today().isoformat(), "alt": "100", "alt_unit": "U/L",
                                 "alt_uln": "40"})
    assert response.status_code == 302
    proposal = AeProposal.objects.get()
    decide = reverse("safety:proposal", kwargs={"proposal_pk": proposal.pk})
    assert post_form(client, decide, {"decision": "dismiss", "dismiss_reason": "x"}).status_code == 403
    client.force_login(physician)
    response = post_form(client, decide, {"decision": "dismiss", "dismiss_reason": ""})
    assert response.status_code == 400 and "Give the reason" in response.content.decode()
    post_form(client, decide, {"decision": "dismiss", "dismiss_reason": "sample haemolysed"})
    proposal.refresh_from_db()
    assert proposal.status == "dismissed" and not AdverseEvent.objects.exists()


def test_ae_form_other_term_needs_text_and_edit_needs_a_reason(client, nurse, patient):
    client.force_login(nurse)
    url = reverse("safety:ae_create", kwargs={"study_id": patient.study_id})
    base = {"term": "__other__", "grade": "1", "onset_date": date.today().isoformat(), "serious": "no",
            "relation": "possible", "action": "none", "outcome": "ongoing"}
    response = post_form(client, url, base)
    assert response.status_code == 400
    assert response.context["form"].errors["other_term"] == ["Type the term (it is stored as uncoded)."]
    assert post_form(client, url, {**base, "other_term": "Hair thinning"}).status_code == 302
    ae = AdverseEvent.objects.get()
    assert not ae.coded
    edit = reverse("safety:ae_edit", kwargs={"ae_pk": ae.pk})
    assert 'value="Hair thinning"' in client.get(edit).content.decode()
    response = post_form(client, edit, {**base, "other_term": "Hair thinning", "outcome": "recovered"})
    assert response.context["form"].errors["reason"] == ["Give a reason for changing a saved record."]
    post_form(client, edit, {**base, "other_term": "Hair thinning", "outcome": "recovered", "reason": "resolved"})
    ae.refresh_from_db()
    assert ae.outcome == "recovered"


def test_treg_and_controls_forms(client, nurse, monitor, patient):
    client.force_login(nurse)
    url = reverse("safety:treg_create", kwargs={"study_id": patient.study_id})
    data = {"timepoint": "baseline", "sample_date": date.today().isoformat(), "percent": "5.6"}
    assert post_form(client, url, data).status_code == 302
    response = post_form(client, url, data)
    assert response.context["form"].errors["timepoint"] == ["This timepoint's Treg value is already recorded."]
    assert TregMeasurement.objects.count() == 1
    post_form(client, reverse("safety:control_create"), {"control_id": "HC-01", "percent": "5.2"})
    client.force_login(monitor)
    assert "HC-01" in client.get(reverse("safety:controls")).content.decode()


def test_patient_page_panel_runs_fixed_queries(client, nurse, patient, django_assert_max_num_queries):
    for offset in range(5):
        lab(patient, nurse, on=date.today() - timedelta(days=offset), values=[alt(100 + offset)])
    client.force_login(nurse)
    url = reverse("patients:detail", kwargs={"study_id": patient.study_id})
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the first request of the user reads their permissions (kept for the next ones)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for offset in range(5, 10):
        lab(patient, nurse, on=date.today() - timedelta(days=offset), values=[alt(100 + offset)])
    with CaptureQueriesContext(connection) as more:
        page = client.get(url).content.decode()
    assert len(few) == len(more)
    assert page.count("Alanine aminotransferase increased, grade 1") == 10


@pytest.mark.django_db
def test_patient_list_shows_withdrawal_status(client, nurse):
    from datetime import date

    from safety.tests.builders import event
    from tests.factories import enrol

    today = date.today()
    pending = enrol(nurse, start=today, today=today)
    enrol(nurse, start=today, today=today)
    event(pending, nurse, on=today, grade=3, today=today)
    client.force_login(nurse)
    page = client.get("/patients/").content.decode()
    assert page.count('data-testid="withdrawal"') == 1 and "withdrawal pending" in page


@pytest.mark.parametrize("grade, action, alert", [
    (2, "withdrawn", "Action taken: withdrawn: ITP-001 is marked for withdrawal"),  # before: no alert at all
    (3, "none", "Grade 3: ITP-001 is marked for withdrawal"),
    (2, "dose_reduced", None),
])
def test_the_withdrawal_alert_follows_what_the_service_did(client, nurse, patient, grade, action, alert):
    client.force_login(nurse)
    url = reverse("safety:ae_create", kwargs={"study_id": patient.study_id})
    response = post_form(client, url, {"term": "Diarrhea", "grade": str(grade), "onset_date": date.today().isoformat(),
                                 "serious": "no", "relation": "possible", "action": action, "outcome": "ongoing"},
                           follow=True)
    page = response.content.decode()
    assert f"Diarrhea grade {grade} saved." in page
    if alert is None:
        assert "is marked for withdrawal" not in page
    else:
        assert alert in page


def test_the_safety_panel_in_chinese_names_ctcae_terms_and_shows_values_as_entered(chinese_then_english, client,
                                                                                     nurse, physician, patient):
    client.force_login(nurse)
    url = reverse("safety:lab_create", kwargs={"study_id": patient.study_id})
    post_form(client, url, {"sample_date": date.today().isoformat(), "alt": "100.5", "alt_unit": "U/L",
                            "alt_uln": "40", "triglycerides": "5.9", "triglycerides_unit": "mmol/L",
                            "triglycerides_uln": "1.7"})
    client.force_login(physician)
    detail = reverse("patients:detail", kwargs={"study_id": patient.study_id})
    client.get(detail)  # the nurse's saved messages (English, her language) are shown once
    client.cookies["django_language"] = "zh-hans"
    page = client.get(detail).content.decode()
    assert "丙氨酸氨基转移酶升高，1级" in page and "高甘油三酯血症" in page
    assert "5.9 mmol/L" in page and "5.900" not in page and "100.5 U/L" in page
    assert "Alanine aminotransferase increased" not in page
    ae_url = reverse("safety:ae_create", kwargs={"study_id": patient.study_id})
    response = post_form(client, ae_url, {"term": "Arthralgia", "grade": "4", "onset_date": date.today().isoformat(),
                                          "serious": "no", "relation": "possible", "action": "none",
                                          "outcome": "ongoing"})
    assert response.context["form"].errors["grade"] == ["在 CTCAE 5.0 中，关节痛 的分级为 1, 2, 3。"]
    assert "关节痛" in response.content.decode()  # the term list in Chinese
