"""The dosing pages: thin views over the services, errors next to their field, buttons by capability."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from dosing.models import DoseChange, Trough
from dosing.tests.factories import con_med, dose, trough
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
    today = timezone.localdate()
    patient = enrol(nurse, start=today - timedelta(days=10), today=today)
    dose(patient, nurse, day=0, mg=2, today=today)
    return patient


def detail(client, patient) -> str:
    return client.get(reverse("patients:detail", kwargs={"study_id": patient.study_id})).content.decode()


def test_nurse_records_a_trough_and_sees_the_flag_and_suggestion(client, nurse, patient):
    client.force_login(nurse)
    url = reverse("dosing:trough_create", kwargs={"study_id": patient.study_id})
    response = post_form(client, url, {"sample_date": timezone.localdate().isoformat(), "ng_ml": "19.5",
                                 "hours_since_dose": "24", "lab": "Central"}, follow=True)
    page = response.content.decode()
    assert "Level 19.5 ng/mL saved: high." in page
    assert "2 mg × 10 / 19.5 = 1.03 → 1.0 mg/day" in page
    assert "awaiting physician" in page and "/accept/" not in page  # the nurse cannot accept


def test_errors_are_shown_next_to_the_field_and_nothing_is_saved(client, nurse, patient):
    client.force_login(nurse)
    url = reverse("dosing:dose_create", kwargs={"study_id": patient.study_id})
    response = post_form(client, url, {"start_date": timezone.localdate().isoformat(), "mg_per_day": "6",
                                       "phase": "adjustment", "prescribed_by": "Dr Wang"})
    assert response.status_code == 400
    assert response.context["form"].errors["out_of_range_reason"] == [
        "6 mg/day is outside the adult adjustment range (1–4 mg/day). It can be saved only with a reason."]
    assert DoseChange.objects.count() == 1


def test_an_edit_needs_a_reason_for_change(client, nurse, patient):
    client.force_login(nurse)
    first = patient.dose_changes.get()
    url = reverse("dosing:dose_edit", kwargs={"dose_pk": first.pk})
    data = {"start_date": patient.start_date.isoformat(), "mg_per_day": "3", "phase": "start",
            "prescribed_by": first.prescribed_by}
    response = post_form(client, url, data)
    assert response.context["form"].errors["reason"] == ["Give a reason for changing a saved record."]
    post_form(client, url, {**data, "reason": "prescription misread"})
    first.refresh_from_db()
    assert first.mg_per_day == 3
    history = client.get(reverse("dosing:dose_history", kwargs={"dose_pk": first.pk}), follow=True).content.decode()
    assert "prescription misread" in history and nurse.get_full_name() in history


def test_physician_accepts_the_suggestion(client, nurse, physician, patient):
    level = trough(patient, nurse, day=8, ng_ml="19.5", today=timezone.localdate())
    client.force_login(physician)
    assert "/accept/" in detail(client, patient)
    url = reverse("dosing:trough_accept", kwargs={"trough_pk": level.pk})
    page = client.get(url).content.decode()
    assert "2 mg × 10 / 19.5 = 1.03 → 1.0 mg/day" in page
    response = post_form(client, url, {"start_date": timezone.localdate().isoformat()})
    assert response.status_code == 302
    assert patient.dose_changes.order_by("-start_date").first().mg_per_day == Decimal("1.0")
    page = detail(client, patient)
    assert "Suggestion accepted by" in page and "/accept/" not in page


def test_physician_dismisses_with_a_reason(client, nurse, physician, patient):
    level = trough(patient, nurse, day=8, ng_ml="3.2", today=timezone.localdate())
    client.force_login(physician)
    url = reverse("dosing:trough_dismiss", kwargs={"trough_pk": level.pk})
    assert post_form(client, url, {"reason": ""}).status_code == 400
    assert post_form(client, url, {"reason": "missed doses, adherence discussed"}).status_code == 302
    level.refresh_from_db()
    assert level.review == Trough.Review.DISMISSED
    assert "missed doses, adherence discussed" in detail(client, patient)


def test_a_brand_or_chinese_name_is_warned_with_its_generic_name(client, nurse, monitor, patient):
    con_med(patient, nurse, name="新山地明 (Neoral)", indication="ITP", day=9, today=timezone.localdate())
    con_med(patient, nurse, name="Noxafil", indication="prophylaxis", day=9, today=timezone.localdate())
    client.force_login(monitor)
    page = detail(client, patient)
    assert page.count('data-testid="interaction-warning"') == 2
    assert "新山地明 (Neoral) (cyclosporine): it raises the sirolimus level" in page
    assert "Noxafil (posaconazole): a strong CYP3A4 inhibitor" in page


def test_patient_page_shows_interaction_warning_grapefruit_and_course(client, nurse, monitor, patient):
    con_med(patient, nurse, name="Clarithromycin", indication="pneumonia", day=9, today=timezone.localdate())
    client.force_login(monitor)
    page = detail(client, patient)
    assert 'data-testid="interaction-warning"' in page and "Clarithromycin: a strong CYP3A4 inhibitor" in page
    assert "(clarithromycin)" not in page  # the drug is named once
    assert "avoid grapefruit" in page
    assert "Month-3 course decision on" in page
    assert "/dosing/patients/" not in page  # no entry buttons for the monitor


def test_stop_page_records_the_stop_and_shows_the_follow_up(client, nurse, patient):
    client.force_login(nurse)
    url = reverse("dosing:stop", kwargs={"study_id": patient.study_id})
    response = post_form(client, url, {"stop_date": timezone.localdate().isoformat(), "reason": "grade 3 AE"},
                           follow=True)
    page = response.content.decode()
    end = timezone.localdate() + timedelta(days=28)
    assert f"safety follow-up continues until {end.isoformat()}" in page
    assert f"Safety follow-up until {end.isoformat()}" in page


def test_drug_monitoring_list(client, physician, nurse, patient):
    trough(patient, nurse, day=8, ng_ml="19.5", today=timezone.localdate())
    client.force_login(physician)
    page = client.get(reverse("dosing:monitoring")).content.decode()
    assert patient.study_id in page and "19.5 ng/mL" in page and "→ 1.0 mg/day" in page
    assert 'href="/dosing/monitoring/"' in page  # the navbar link


def test_the_first_dose_form_starts_on_day_0(client, nurse):
    today = timezone.localdate()
    fresh = enrol(nurse, start=today - timedelta(days=3), today=today)
    client.force_login(nurse)
    form = client.get(reverse("dosing:dose_create", kwargs={"study_id": fresh.study_id})).context["form"]
    assert (form.initial["start_date"], form.initial["phase"]) == (fresh.start_date, "start")


def test_a_low_week_1_level_on_day_5_awaits_no_physician_and_is_repeated(client, nurse, physician):
    # Before: "awaiting physician" with nothing to accept, the drug-monitoring list asked for a decision and no
    # repeat was due. Now: shown as before steady state, a repeat is due days 7-14 and nothing awaits anyone.
    today = timezone.localdate()
    patient = enrol(nurse, start=today - timedelta(days=7), today=today)
    dose(patient, nurse, day=0, mg=2, today=today)
    trough(patient, nurse, day=5, ng_ml="4.1", today=today)
    client.force_login(nurse)
    page = detail(client, patient)
    assert "before steady state" in page and "awaiting physician" not in page
    start = patient.start_date
    assert (f"no decision: repeat {start + timedelta(days=7):%Y-%m-%d} – {start + timedelta(days=14):%Y-%m-%d}"
            in page)
    assert f"repeat at steady state (7-14 days after the dose of {start:%Y-%m-%d}" in page  # due today
    client.force_login(physician)
    assert "/dismiss/" not in detail(client, patient)
    from dosing.selectors import drug_monitoring_list

    (row,) = drug_monitoring_list(today=today)
    assert row.to_review == []  # nothing for a physician to decide
    assert [d.reason.split(" (")[0] for d in row.due] == ["repeat at steady state"]


def test_a_nurse_names_the_prescribing_physician_a_physician_may_leave_it_empty(client, nurse, physician, patient):
    url = reverse("dosing:dose_create", kwargs={"study_id": patient.study_id})
    data = {"start_date": timezone.localdate().isoformat(), "mg_per_day": "1.5", "phase": "adjustment"}
    client.force_login(nurse)
    page = client.get(url).content.decode()
    assert "Prescribing physician" in page and "Leave empty if you" not in page
    response = post_form(client, url, data)
    assert response.status_code == 400
    assert response.context["form"].errors["prescribed_by"] == ["Name the physician who prescribed this dose."]
    assert post_form(client, url, {**data, "prescribed_by": "Dr Wang"}).status_code == 302
    assert patient.dose_changes.order_by("-start_date").first().prescribed_by == "Dr Wang"

    client.force_login(physician)
    assert "Leave empty if you prescribed this dose yourself." in client.get(url).content.decode()


def test_the_dosing_panel_in_chinese(chinese_then_english, client, nurse, physician, patient):
    today = timezone.localdate()
    trough(patient, nurse, day=7, ng_ml="19.5", hours=24, today=today)
    con_med(patient, nurse, name="环孢素软胶囊", indication="ITP", day=9, today=today)
    client.force_login(physician)
    client.cookies["django_language"] = "zh-hans"
    page = detail(client, patient)
    assert "西罗莫司给药与治疗药物监测" in page and "谷浓度" in page
    assert "环孢素软胶囊" in page and "会升高西罗莫司血药浓度" in page and "(环孢素)" in page  # named once
    assert "2 mg × 10 / 19.5 = 1.03 → 1.0 mg/天" in page  # the arithmetic stays numbers
    assert "偏高" in page and "未达稳态" not in page
    assert "mg/day" not in page
