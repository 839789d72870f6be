"""Writes of the patient record: the study id sequence and corrections of demographics and history.

Enrolment (the patient with their visit plan and baseline visit) is visits.enrolment: it writes visits too."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from casebook.writes import writing
from itp_trial.clock import study_today
from itp_trial.validation import problems_error

from .eligibility import date_problems
from .models import Patient, StudyIdSequence

STUDY_ID_PREFIX = "ITP"


def study_id_format(number: int) -> str:
    return f"{STUDY_ID_PREFIX}-{number:03d}"


def study_id_allocate(requested: str | None) -> str:
    """Next ITP-NNN under a row lock; an imported id moves the sequence past itself."""
    sequence, _ = StudyIdSequence.objects.get_or_create(prefix=STUDY_ID_PREFIX)
    sequence = StudyIdSequence.objects.select_for_update().get(pk=sequence.pk)
    if requested:
        if Patient.objects.filter(study_id=requested).exists():
            raise ValidationError({"study_id": f"{requested} already exists."})
        number = _number_of(requested)
        if number is not None and number > sequence.last_number:
            sequence.last_number = number
            sequence.save(update_fields=["last_number"])
        return requested
    number = sequence.last_number + 1
    while Patient.objects.filter(study_id=study_id_format(number)).exists():
        number += 1
    sequence.last_number = number
    sequence.save(update_fields=["last_number"])
    return study_id_format(number)


def _number_of(study_id: str) -> int | None:
    prefix, _, digits = study_id.partition("-")
    return int(digits) if prefix == STUDY_ID_PREFIX and digits.isdigit() else None


EDITABLE_FIELDS = ("initials", "sex", "birth_date", "weight_kg", "diagnosis_date", "early_steroid_effective",
                   "steroid_taper_at_start")


@dataclass(frozen=True)
class Demographics:
    """The corrections a patient record takes (EDITABLE_FIELDS)."""

    sex: str
    birth_date: date
    diagnosis_date: date
    weight_kg: Decimal | None = None
    early_steroid_effective: bool | None = None
    steroid_taper_at_start: bool = False
    initials: str = ""


def patient_update(*, patient: Patient, changes: dict, user, reason: str, version: int,
                   today: date | None = None) -> Patient:
    """Correct demographics or history as the user saw them (`version`), with a reason. Day 0 is not changed here
    (it moves the schedule). Locked with the casebook: birth date decides the dose ranges."""
    today = today or study_today()
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Not editable here: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    with writing(user=user, reason=reason, patient=patient) as write:
        patient = write.edit(write.patient, version=version)
        for name, value in changes.items():
            setattr(patient, name, value)
        problems = date_problems(birth_date=patient.birth_date, diagnosis_date=patient.diagnosis_date,
                                 start_date=patient.start_date, today=today)
        if problems:
            raise problems_error(problems)
        return write.save(patient)
