"""Builders for safety tests (and the project-wide access and audit scenarios)."""

from datetime import date
from decimal import Decimal

from safety.models import Relation
from safety.services import (
    AeInput,
    LabInput,
    adverse_event_record,
    healthy_control_record,
    lab_sample_record,
    treg_record,
)


def alt(value, uln=40, unit="U/L") -> LabInput:
    return LabInput(analyte="alt", value=Decimal(str(value)), unit=unit, uln=Decimal(str(uln)))


def lab(patient, user, *, on: date, values: list[LabInput], today: date | None = None):
    return lab_sample_record(patient=patient, sample_date=on, values=values, user=user, today=today or on)


def event(patient, user, *, on: date, term="Diarrhea", grade=1, today: date | None = None, **extra):
    data = AeInput(term=term, grade=grade, onset_date=on, relation=Relation.POSSIBLE, **extra)
    return adverse_event_record(patient=patient, data=data, user=user, today=today or on).event


def safety_records(patient, user, *, today: date) -> dict:
    """One of each safety clinical record for `patient`: a graded lab (→ proposal), a grade 3 AE (→ withdrawal),
    a Treg value and a healthy control."""
    sample = lab(patient, user, on=today, values=[alt(100)], today=today)
    proposal = sample.values.get().proposal
    ae = event(patient, user, on=today, term="Diarrhea", grade=3, today=today)
    treg_record(patient=patient, timepoint="baseline", percent=Decimal("5.6"), sample_date=patient.start_date,
                user=user, today=today)
    healthy_control_record(control_id=f"HC-{patient.pk}", percent=Decimal("5.2"), sample_date=None, user=user,
                           today=today)
    return {"proposal_pk": proposal.pk, "ae_pk": ae.pk, "value_pk": proposal.lab_value_id}


def bulk_patients(n: int, user, *, start: date, prefix: str = "BLK") -> list:
    """`n` enrolled-looking patients with their protocol slots, by bulk_create (a few queries for any n).

    Day 0 is spread over 28 days so the scan finds labs and visits in every state."""
    from datetime import timedelta

    from patients.models import Patient
    from visits.models import ScheduledVisit
    from visits.schedule import PROTOCOL_SCHEDULE

    patients = Patient.objects.bulk_create([
        Patient(study_id=f"{prefix}-{i:04d}", sex="female", birth_date=date(1975, 6, 1),
                diagnosis_date=start - timedelta(days=400), start_date=start - timedelta(days=i % 28),
                schedule_version=PROTOCOL_SCHEDULE.version, enrolled_by=user)
        for i in range(n)])
    ScheduledVisit.objects.bulk_create([
        ScheduledVisit(patient=p, code=v.code, target_date=v.target(p.start_date), earliest=v.earliest(p.start_date),
                       latest=v.latest(p.start_date))
        for p in patients for v in PROTOCOL_SCHEDULE.visits])
    return patients
