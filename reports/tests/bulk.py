"""Many patients quickly, for query-count tests: bulk inserts shaped like enrolled patients."""

from datetime import date, timedelta
from decimal import Decimal

from patients.models import Patient
from visits.models import ResponseSummary, ScheduledVisit, Visit
from visits.schedule import PROTOCOL_SCHEDULE


def bulk_patients(count: int, *, user, start: date, first_number: int = 1) -> list[Patient]:
    patients = Patient.objects.bulk_create(
        Patient(study_id=f"ITP-{n:04d}", sex="female", birth_date=date(1970, 1, 1), diagnosis_date=date(2023, 1, 1),
                start_date=start, schedule_version="1.0", enrolled_by=user)
        for n in range(first_number, first_number + count)
    )
    slots = ScheduledVisit.objects.bulk_create(
        ScheduledVisit(patient=p, code=v.code, target_date=v.target(start), earliest=v.earliest(start),
                       latest=v.latest(start))
        for p in patients for v in PROTOCOL_SCHEDULE.visits
    )
    done = {"baseline", "week1", "week2"}
    Visit.objects.bulk_create(
        Visit(patient_id=s.patient_id, slot=s, visit_date=s.target_date, platelets=Decimal(40 if s.code != "baseline"
              else 12), bleeding_grade=0, category="R" if s.code != "baseline" else "NR")
        for s in slots if s.code in done
    )
    ResponseSummary.objects.bulk_create(ResponseSummary(patient=p, best_response="R", current_status="R")
                                        for p in patients)
    return patients


def start_for_today(today: date) -> date:
    return today - timedelta(days=30)
