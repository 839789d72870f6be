"""Follow-up visits after month 3 (SPEC §2 [decision]): month4 and month5 (±7) for patients still on sirolimus
after month 3, then every 28 days after month 6 (month7 = day 196 … month12 = day 336, ±14) while on drug.

Before schedule 1.1 they were unscheduled visits: no slot, no due/overdue, no reminder, and Table 2 and the
visits export called them "unscheduled"."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from dosing.services import sirolimus_stop
from dosing.tests.factories import dose
from inbox.models import Reminder
from inbox.scan import reminders_scan
from reports.datasets import DATASETS
from reports.exporting import python_csv
from reports.selectors import study_response_report
from tests.factories import enrol, record

pytestmark = pytest.mark.django_db
START = date(2026, 1, 5)


def day(n: int) -> date:
    return START + timedelta(days=n)


@pytest.fixture
def patient(nurse):
    patient = enrol(nurse, start=START)
    dose(patient, nurse, day=0, mg=2)
    return patient


def schedule_rows(client, patient) -> dict[str, tuple[str, bool]]:
    """Per slot code on the patient page: (status, has a Record button)."""
    page = client.get(reverse("patients:detail", kwargs={"study_id": patient.study_id})).content.decode()
    table = page[page.index('data-testid="schedule"'):page.index("</table>", page.index('data-testid="schedule"'))]
    rows = {}
    for code, body in re.findall(r'<tr data-code="([^"]+)">(.*?)</tr>', table, re.S):
        status = re.search(r'data-status="([^"]+)"', body).group(1)
        rows[code] = (status, "Record</a>" in body)
    return rows


def test_follow_up_slots_are_due_and_recorded_like_protocol_visits(client, nurse, patient, settings):
    slots = {s.code: (s.target_date, s.earliest, s.latest) for s in patient.slots.all()}
    assert slots["month4"] == (day(112), day(105), day(119))
    assert slots["month7"] == (day(196), day(182), day(210))
    assert slots["month12"] == (day(336), day(322), day(350))
    client.force_login(nurse)
    with time_machine.travel(day(106), tick=False):
        rows = schedule_rows(client, patient)
        assert rows["month4"] == ("due", True) and rows["month5"] == ("upcoming", True)
        reminders_scan(today=day(106))
    assert Reminder.objects.filter(kind="visit_due", due_date=day(112)).exists()
    visit = record(patient, nurse, "month4", day=113, platelets=120)
    assert (visit.code, visit.out_of_window_days) == ("month4", 0)


def test_after_a_stop_the_follow_up_visits_are_not_planned_but_month_6_stays(client, nurse, patient):
    sirolimus_stop(patient=patient, stop_date=day(90), reason="no response at month 3", user=nurse, today=day(90))
    client.force_login(nurse)
    with time_machine.travel(day(110), tick=False):
        rows = schedule_rows(client, patient)
        reminders_scan(today=day(110))
    assert rows["month4"] == ("not-planned", False)
    assert rows["month7"] == ("not-planned", False)
    assert rows["month6"] == ("upcoming", True)
    assert not Reminder.objects.filter(kind="visit_due").exists()
    with time_machine.travel(day(110), tick=False):
        page = client.get(reverse("patients:list")).content.decode()
    assert "Month 6 ·" in page and "Month 4" not in page  # the next visit to do, by its name


def test_table_2_and_the_visits_export_place_the_follow_up_visits(nurse, patient):
    record(patient, nurse, "week1", day=7, platelets=45)
    record(patient, nurse, "month4", day=112, platelets=150)
    record(patient, nurse, "month7", day=200, platelets=95)
    report = study_response_report()
    codes = [row["visit"] for row in report["timepoints"]]
    # in the schedule's order; a follow-up visit without any count (month5) is not listed
    assert codes.index("month3") < codes.index("month4") < codes.index("month6") < codes.index("month7")
    assert "month5" not in codes
    by_code = {row["visit"]: row for row in report["timepoints"]}
    assert (by_code["month4"]["n"], by_code["month4"]["CR"], by_code["month7"]["R"]) == (1, 1, 1)
    assert report["friedman"] is None or "month4" not in report["friedman"]["visits"]
    rows = list(csv.DictReader(io.StringIO(b"".join(python_csv(DATASETS["visits"])).decode())))
    assert [r["visit"] for r in rows] == ["baseline", "week1", "month4", "month7"]
