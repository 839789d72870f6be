"""Enrolment: one atomic service creates the patient, checklist, consent, history, visit schedule and baseline
visit. It lives with the visits (above patients) because it writes the visit plan with the patient."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from casebook.writes import writing
from itp_trial.clock import study_today
from itp_trial.validation import Problem, problems_error
from patients.eligibility import PriorTherapyInput, date_problems, second_line_problems, washout_warnings
from patients.models import Consent, Eligibility, Patient, PriorTherapy
from patients.services import study_id_allocate

from .models import ScheduledVisit
from .schedule import BASELINE, PROTOCOL_SCHEDULE
from .services import VisitValues, visit_record
from .validation import visit_problems


@dataclass(frozen=True)
class EligibilityInput:
    criteria: dict[str, bool]
    second_line_washout: bool
    washout_warning_acknowledged: bool
    checked_on: date
    second_line: str | None = None  # SecondLine as stated on the enrolment form (None: not asked, e.g. tests)


@dataclass(frozen=True)
class ConsentInput:
    consent_date: date
    version: str
    obtained_by: str


@dataclass(frozen=True)
class EnrolmentInput:
    sex: str
    birth_date: date
    diagnosis_date: date
    start_date: date
    baseline: VisitValues
    weight_kg: Decimal | None = None
    early_steroid_effective: bool | None = None
    steroid_taper_at_start: bool = False
    prior_therapies: list[PriorTherapyInput] = field(default_factory=list)
    eligibility: EligibilityInput | None = None
    consent: ConsentInput | None = None
    study_id: str | None = None  # given only by the study importer
    initials: str = ""  # optional, identifying: never exported


def enrolment_problems(data: EnrolmentInput, *, today: date,
                       bleeding_required: bool = True) -> dict[str, list[Problem]]:
    """Everything that blocks enrolment, keyed by field (washout is blocking only until acknowledged)."""
    baseline = visit_problems(
        code=BASELINE, visit_date=data.baseline.visit_date, day0=data.start_date, today=today,
        platelets=data.baseline.platelets, bleeding_grade=data.baseline.bleeding_grade,
        bleeding_required=bleeding_required and data.baseline.bleeding_reported is None,
    )
    problems = {f"baseline_{name}": messages for name, messages in baseline.items()}
    problems |= date_problems(
        birth_date=data.birth_date, diagnosis_date=data.diagnosis_date, start_date=data.start_date, today=today,
        consent_date=data.consent.consent_date if data.consent else None,
        checked_on=data.eligibility.checked_on if data.eligibility else None,
    )
    if data.eligibility is not None:
        missing = [name for name in Eligibility.CRITERIA if not data.eligibility.criteria.get(name)]
        for name in missing:
            problems.setdefault(name, []).append(Problem("criterion.unconfirmed"))
        if data.eligibility.second_line is not None:
            for name, messages in second_line_problems(data.eligibility.second_line, data.prior_therapies).items():
                problems.setdefault(name, []).extend(messages)
        warnings = washout_warnings(data.prior_therapies, data.start_date)
        if not data.eligibility.second_line_washout:
            warnings.append(Problem("washout.declared_recent"))
        if warnings and not data.eligibility.washout_warning_acknowledged:
            problems.setdefault("washout_warning_acknowledged", []).append(
                Problem("washout.acknowledge", {"warnings": warnings}))
    return problems


def enrolment_patient(data: EnrolmentInput, *, user, study_id: str) -> Patient:
    """The new patient's row (not saved) as an enrolment writes it."""
    return Patient(
        study_id=study_id, initials=data.initials.strip(),
        sex=data.sex, birth_date=data.birth_date, weight_kg=data.weight_kg,
        diagnosis_date=data.diagnosis_date, start_date=data.start_date,
        early_steroid_effective=data.early_steroid_effective, steroid_taper_at_start=data.steroid_taper_at_start,
        schedule_version=PROTOCOL_SCHEDULE.version, enrolled_by=user,
    )


def enrolment_records(patient: Patient, data: EnrolmentInput, *, user) -> tuple[list, list[ScheduledVisit]]:
    """What an enrolment writes with the patient (not saved): its checklist, consent and prior therapies (records),
    and the protocol slots (derived rows)."""
    records: list = []
    if data.eligibility is not None:
        records.append(Eligibility(
            patient=patient, checked_by=user, checked_on=data.eligibility.checked_on,
            second_line_washout=data.eligibility.second_line_washout,
            washout_warning_acknowledged=data.eligibility.washout_warning_acknowledged,
            **{name: bool(data.eligibility.criteria.get(name)) for name in Eligibility.CRITERIA}))
    if data.consent is not None:
        records.append(Consent(patient=patient, consent_date=data.consent.consent_date,
                               form_version=data.consent.version, obtained_by=data.consent.obtained_by))
    for therapy in data.prior_therapies:
        records.append(PriorTherapy(patient=patient, therapy=therapy.therapy, stop_date=therapy.stop_date,
                                    other_name=therapy.other_name))
    slots = [ScheduledVisit(patient=patient, code=visit_def.code, target_date=visit_def.target(data.start_date),
                            earliest=visit_def.earliest(data.start_date), latest=visit_def.latest(data.start_date))
             for visit_def in PROTOCOL_SCHEDULE.visits]
    return records, slots


def patient_enrol(*, data: EnrolmentInput, user, reason: str = "", today: date | None = None,
                  require_checklist: bool = True, token: UUID | None = None) -> Patient:
    """Enrol a patient: study id, checklist, consent, prior therapies, scheduled visits, baseline, response.

    The importer passes require_checklist=False: legacy data carries no checklist or consent.
    """
    today = today or study_today()
    with writing(user=user, reason=reason, token=token) as write:
        if require_checklist and (data.eligibility is None or data.consent is None):
            raise ValidationError(gettext("The eligibility checklist and written consent are required to enrol."))
        problems = enrolment_problems(data, today=today, bleeding_required=require_checklist)
        if problems:
            raise problems_error(problems)
        patient = write.save(enrolment_patient(data, user=user, study_id=study_id_allocate(data.study_id)))
        records, slots = enrolment_records(patient, data, user=user)
        for record in records:
            write.save(record)
        for slot in slots:
            write.save_derived(slot)
        visit_record(patient=patient, code=BASELINE, values=data.baseline, user=user, reason=reason, today=today,
                     bleeding_required=require_checklist)
    return patient
