"""Import a study interchange document: all or nothing, through the same services as typed data."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from patients.models import Patient
from visits.enrolment import patient_enrol
from visits.services import visit_record

from .interchange import document_plan


class ImportRefused(Exception):
    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass(frozen=True)
class ImportResult:
    patients: int
    visits: int
    skipped: list[str]
    other_records: int = 0  # written by the apps' sections (doses, troughs, adverse events, ...)


def study_import(*, document, user, reason: str, skip_unsupported: bool = False,
                 today: date | None = None) -> ImportResult:
    """Check the whole document, then write it in one transaction; ImportRefused lists every problem."""
    today = today or timezone.localdate()
    existing = set(Patient.objects.values_list("study_id", flat=True))
    plan, problems = document_plan(document, today=today, existing_study_ids=existing,
                                   skip_unsupported=skip_unsupported)
    if problems:
        raise ImportRefused(problems)
    visits = others = 0
    with transaction.atomic():
        for planned in plan.patients:
            patient = patient_enrol(data=planned.enrolment, user=user, reason=reason, today=today,
                                    require_checklist=False)
            visits += 1
            for visit in planned.visits:
                visit_record(patient=patient, code=visit.code, values=visit.values, user=user, reason=reason,
                             today=today, bleeding_required=False)
                visits += 1
            for section, planned_section in planned.sections:
                others += section.write(patient=patient, planned=planned_section, user=user, reason=reason,
                                        today=today)
        for section, planned_section in plan.study_sections:
            others += section.write(planned=planned_section, user=user, reason=reason, today=today)
    return ImportResult(patients=len(plan.patients), visits=visits, skipped=plan.skipped, other_records=others)
