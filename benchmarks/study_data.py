"""A study of many patients at different points of their course, written with bulk inserts (seconds for 2,000
patients): for the dashboard and report benchmarks and the tests that need a study of realistic shape.

Deterministic: patient n always gets the same values. Patients started on different days up to 420 days before
`today`, so every visit of the schedule is done, due, overdue, missed or still upcoming somewhere; counts vary so
that every response category appears; some patients stopped sirolimus (their follow-up visits are not planned),
some are withdrawn (pending, or off study), some have open queries on a visit.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from dosing.models import DoseChange
from monitoring.models import Query
from patients.models import Patient, Withdrawal
from visits.models import ResponseSummary, ScheduledVisit, Visit
from visits.schedule import BASELINE, PROTOCOL_SCHEDULE


def _platelets(n: int, index: int) -> Decimal:
    if index == 0:
        return Decimal(8 + n % 17)
    return Decimal((n * 37 + index * 29) % 180 + 5) + Decimal("0.5") * (n % 2)


def _category(platelets: Decimal, n: int, index: int) -> str:
    if index == 0:
        return "NR"
    if (n + index) % 23 == 0:
        return "NE"  # bleeding not assessed
    return "CR" if platelets >= 100 else "R" if platelets >= 30 else "NR"


def build_study(count: int, *, user, today: date, first_number: int = 1, prefix: str = "ITP") -> list[Patient]:
    """`count` patients numbered from `first_number` (study IDs `{prefix}-00001` ...), with their slots, the
    visits done by `today`, response summaries, the starting dose (and a stop for some), withdrawals and queries."""
    numbers = range(first_number, first_number + count)
    patients = Patient.objects.bulk_create(
        (Patient(study_id=f"{prefix}-{n:05d}", sex="female" if n % 3 else "male",
                 birth_date=date(1950, 1, 1) + timedelta(days=n * 97 % 18000),
                 diagnosis_date=date(2022, 1, 1) + timedelta(days=n % 300),
                 start_date=today - timedelta(days=(n * 7) % 420), schedule_version="1.0", enrolled_by=user)
         for n in numbers), batch_size=2000)
    number_of = {p.pk: n for p, n in zip(patients, numbers, strict=True)}
    stops = {p.pk: p.start_date + timedelta(days=95) for p in patients
             if number_of[p.pk] % 5 == 0 and p.start_date + timedelta(days=95) <= today}
    slots = ScheduledVisit.objects.bulk_create(
        (ScheduledVisit(patient=p, code=v.code, target_date=v.target(p.start_date), earliest=v.earliest(p.start_date),
                        latest=v.latest(p.start_date)) for p in patients for v in PROTOCOL_SCHEDULE.visits),
        batch_size=5000)
    index_of = {v.code: i for i, v in enumerate(PROTOCOL_SCHEDULE.visits)}
    visits, last = [], {}
    for slot in slots:
        n, index = number_of[slot.patient_id], index_of[slot.code]
        if slot.target_date > today or (index and (n + index) % 13 == 0):
            continue  # not yet, or missed
        if PROTOCOL_SCHEDULE.get(slot.code).follow_up and slot.patient_id in stops:
            continue
        platelets = _platelets(n, index)
        category = _category(platelets, n, index)
        visits.append(Visit(patient_id=slot.patient_id, slot=slot, visit_date=slot.target_date, platelets=platelets,
                            bleeding_grade=0, category=category))
        if slot.code != BASELINE:
            last[slot.patient_id] = category
    visits = Visit.objects.bulk_create(visits, batch_size=5000)
    ResponseSummary.objects.bulk_create(
        (ResponseSummary(patient=p, best_response=last.get(p.pk, "NE"), current_status=last.get(p.pk, "NE"))
         for p in patients), batch_size=5000)
    doses = [DoseChange(patient=p, start_date=p.start_date, mg_per_day=Decimal("2"), phase="start",
                        prescribed_by="Dr Example") for p in patients]
    doses += [DoseChange(patient_id=pid, start_date=day, mg_per_day=Decimal("0"), phase="stop",
                         change_reason="no response at month 3", prescribed_by="Dr Example")
              for pid, day in stops.items()]
    DoseChange.objects.bulk_create(doses, batch_size=5000)
    Withdrawal.objects.bulk_create(
        (Withdrawal(patient=p, marked_on=p.start_date + timedelta(days=20),
                    off_study_date=p.start_date + timedelta(days=30) if number_of[p.pk] % 74 == 0 else None)
         for p in patients if number_of[p.pk] % 37 == 0 and p.start_date + timedelta(days=30) <= today),
        batch_size=5000)
    now = timezone.now()
    Query.objects.bulk_create(
        (Query(patient_id=v.patient_id, record_type="visit", record_id=v.pk, field="platelets", raised_by=user,
               raised_at=now - timedelta(days=3), waiting_since=now - timedelta(days=3))
         for v in visits if v.slot.code == "week1" and number_of[v.patient_id] % 9 == 0), batch_size=5000)
    return patients
