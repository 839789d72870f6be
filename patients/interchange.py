"""The interchange section of off study (an addition to SPEC §6; see casebook/interchange.py).

`off_study`: {"date", "reason"}, the patient taken off study (completing a withdrawal marked by a grade >= 3
adverse event, or for another reason). The day a withdrawal was marked is the day the system marked it, not part
of the format. Checked here first, with its JSON path: the import is all-or-nothing.
"""

from datetime import date

from django.core.exceptions import ValidationError

from casebook.interchange import (
    PatientSection,
    Problems,
    SectionContext,
    day_text,
    parse_date,
    parse_object,
    parse_text,
)

from .models import Patient, StudyIdSequence, Withdrawal
from .off_study import withdrawal_complete
from .services import STUDY_ID_PREFIX

OFF_STUDY_KEYS = {"date", "reason"}


def _parse_off_study(raw: dict, path: str, problems: Problems, context: SectionContext) -> tuple | None:
    here = f"{path}.off_study"
    item = raw.get("off_study")
    if not parse_object(item, here, OFF_STUDY_KEYS, problems):
        return None
    before = len(problems.items)
    on = parse_date(item.get("date"), f"{here}.date", problems)
    reason = parse_text(item, "reason", here, problems, limit=250, required=True)
    if on is not None and on > context.today:
        problems.add(f"{here}.date", "cannot be in the future")
    if on is not None and context.start_date is not None and on < context.start_date:
        problems.add(f"{here}.date", f"cannot be before the start date {context.start_date} (day 0)")
    return (on, reason) if len(problems.items) == before else None


def _write_off_study(*, patient, planned: tuple, user, reason: str, today: date) -> int:
    on, off_study_reason = planned
    withdrawal_complete(patient=patient, off_study_date=on, off_study_reason=off_study_reason, user=user,
                        reason=reason, today=today)
    return 1


def _export_off_study(patient) -> dict:
    """A completed withdrawal (the day it was marked is the day the system marked it, not part of the format)."""
    withdrawal = Withdrawal.objects.filter(patient=patient, off_study_date__isnull=False).first()
    if withdrawal is None:
        return {}
    return {"off_study": {"date": day_text(withdrawal.off_study_date), "reason": withdrawal.off_study_reason}}


OFF_STUDY_SECTION = PatientSection(keys=("off_study",), parse=_parse_off_study, write=_write_off_study,
                                   export=_export_off_study)


def study_ids_claim(study_ids: list[str]) -> None:
    """Imported study ids, under the sequence's row lock (as study_id_allocate takes each one): refused when one
    exists already; the sequence moves past the highest of them."""
    sequence, _ = StudyIdSequence.objects.get_or_create(prefix=STUDY_ID_PREFIX)
    sequence = StudyIdSequence.objects.select_for_update().get(pk=sequence.pk)
    taken = sorted(Patient.objects.filter(study_id__in=study_ids).values_list("study_id", flat=True))
    if taken:
        raise ValidationError({"study_id": f"{taken[0]} already exists."})
    numbers = [int(digits) for prefix, _, digits in (s.partition("-") for s in study_ids)
               if prefix == STUDY_ID_PREFIX and digits.isdigit()]
    if numbers and max(numbers) > sequence.last_number:
        sequence.last_number = max(numbers)
        sequence.save(update_fields=["last_number"])
