"""Off study: a patient leaves the study (completing a withdrawal marked by a grade ≥ 3 adverse event, or for
another reason). The withdrawal belongs to the patient; safety only marks it when an adverse event calls for it."""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from casebook.writes import writing
from itp_trial.clock import study_today

from .models import Patient, Withdrawal


@dataclass(frozen=True)
class OffStudyValues:
    off_study_date: date
    off_study_reason: str


def withdrawal_complete(*, patient: Patient, off_study_date: date, off_study_reason: str, user, reason: str = "",
                        version: int | None = None, today: date | None = None,
                        token: UUID | None = None) -> Withdrawal:
    """Take the patient off study (completes a grade ≥3 withdrawal as the physician saw it, `version`, or records
    another reason). Locked with the casebook like every dated record."""
    today = today or study_today()
    with writing(user=user, patient=patient, token=token) as write:
        patient = write.patient
        problems: dict[str, list[str]] = {}
        if not (off_study_reason or "").strip():
            problems["off_study_reason"] = [_("Give the reason the patient leaves the study.")]
        if off_study_date > today:
            problems["off_study_date"] = [_("Cannot be in the future.")]
        elif off_study_date < patient.start_date:
            problems["off_study_date"] = [_("Cannot be before day 0.")]
        withdrawal = Withdrawal.objects.filter(patient=patient).first()
        if withdrawal is not None and withdrawal.completed:
            problems.setdefault("__all__", []).append(
                _("%(study_id)s is already off study since %(date)s.") % {
                    "study_id": patient.study_id, "date": withdrawal.off_study_date.isoformat()})
        if problems:
            raise ValidationError(problems)
        if withdrawal is not None:
            withdrawal = write.edit(withdrawal, version=version)
        else:
            withdrawal = Withdrawal(patient=patient, marked_on=today)
        existed = withdrawal.pk is not None
        withdrawal.off_study_date, withdrawal.off_study_reason = off_study_date, off_study_reason.strip()
        return write.save(withdrawal, reason=reason or ("off-study recorded" if existed else ""))
