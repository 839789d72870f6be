"""Off study is carried through the patient page, the patient list, drug monitoring and the reminders.

Before: after off study the list still showed the next visit as upcoming, the schedule offered Record buttons,
the current dose and "trough due" were shown, and nobody was asked for the stop date of sirolimus."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from dosing.selectors import drug_monitoring_list
from dosing.services import sirolimus_stop
from dosing.tests.factories import dose
from patients.off_study import withdrawal_complete
from tests.factories import enrol, record
from tests.pages import post_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def off_study(nurse, physician):
    today = timezone.localdate()
    patient = enrol(nurse, start=today - timedelta(days=30), today=today)
    dose(patient, nurse, day=0, mg=2, today=today)
    record(patient, nurse, "week1", day=7, platelets=25, today=today)
    withdrawal_complete(patient=patient, off_study_date=today - timedelta(days=2), off_study_reason="consent withdrawn",
                        user=physician, today=today)
    return patient


def schedule(page: str) -> dict[str, tuple[str, bool]]:
    table = page[page.index('data-testid="schedule"'):]
    table = table[:table.index("</table>")]
    return {code: (re.search(r'data-status="([^"]+)"', body).group(1), "Record</a>" in body)
            for code, body in re.findall(r'<tr data-code="([^"]+)">(.*?)</tr>', table, re.S)}


def test_the_patient_page_carries_off_study_through(client, nurse, off_study):
    client.force_login(nurse)
    page = client.get(reverse("patients:detail", kwargs={"study_id": off_study.study_id})).content.decode()
    # the status at the top, before the response and the schedule
    assert page.index('data-testid="off-study"') < page.index('data-testid="response-summary"')
    rows = schedule(page)
    assert rows["week1"] == ("done", False)
    assert rows["week2"] == ("missed", True)  # closed before off study: missed, a late record is still possible
    assert rows["month1"] == ("off-study", False)
    assert all(rows[code] == ("off-study", False) for code in ("month2", "month3", "month4", "month6", "month12"))
    assert "not done (off study)" in page
    dosing = page[page.index('data-testid="dosing-panel"'):]
    assert "off study; stop not recorded" in dosing and "mg/day</div>" not in dosing.split("current-dose")[1][:80]
    assert "Trough due" not in dosing and "Trough overdue" not in dosing and "Next trough" not in dosing
    assert 'data-testid="stop-missing"' in page
    assert f'href="{reverse("dosing:stop", kwargs={"study_id": off_study.study_id})}"' in page


def test_the_stop_prompt_goes_once_the_stop_is_recorded(client, nurse, off_study):
    today = timezone.localdate()
    sirolimus_stop(patient=off_study, stop_date=today - timedelta(days=2), reason="off study", user=nurse, today=today)
    client.force_login(nurse)
    page = client.get(reverse("patients:detail", kwargs={"study_id": off_study.study_id})).content.decode()
    assert 'data-testid="stop-missing"' not in page
    assert f"Safety follow-up until {today + timedelta(days=26):%Y-%m-%d}" in page


def test_the_list_and_drug_monitoring_show_no_visit_or_trough_to_do(client, nurse, off_study):
    client.force_login(nurse)
    row = client.get(reverse("patients:list")).content.decode()
    row = row[row.index(off_study.study_id):]
    row = row[:row.index("</tr>")]
    assert "none scheduled" in row and "off study" in row
    with time_machine.travel(timezone.localdate() + timedelta(days=1), tick=False):
        assert [r.study_id for r in drug_monitoring_list(today=timezone.localdate())] == []


def test_recording_off_study_asks_for_the_stop_of_sirolimus(client, nurse, physician):
    today = timezone.localdate()
    patient = enrol(nurse, start=today - timedelta(days=30), today=today)
    dose(patient, nurse, day=0, mg=2, today=today)
    client.force_login(physician)
    response = post_form(client, reverse("patients:off_study", kwargs={"study_id": patient.study_id}),
                         {"off_study_date": today.isoformat(), "off_study_reason": "moved away"}, follow=True)
    page = response.content.decode()
    assert f"{patient.study_id} is off study." in page
    assert "Record the day sirolimus was stopped: the safety follow-up counts 28 days from it." in page
