"""Import a study interchange document: all or nothing, through the same services as typed data."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from casebook.interchange import ImportRefused
from itp_trial.clock import study_today
from itp_trial.plausibility import document_problems
from patients.models import Patient
from visits.interchange import EnrolmentBatch
from visits.services import visit_record

from .interchange import document_plan

__all__ = ["ImportRefused", "ImportResult", "study_import"]


@dataclass(frozen=True)
class ImportResult:
    patients: int
    visits: int
    skipped: list[str]
    other_records: int = 0  # written by the apps' sections (doses, troughs, adverse events, ...)


def _path(problem: str) -> str:
    return problem.split(": ", 1)[0]


def merged_problems(sections: list[str], implausible: list[str]) -> list[str]:
    """The sections' problems, then the plausibility problems of paths the sections did not already name."""
    named = {_path(problem) for problem in sections}
    return [*sections, *(problem for problem in implausible if _path(problem) not in named)]


def study_import(*, document, user, reason: str, skip_unsupported: bool = False,
                 today: date | None = None) -> ImportResult:
    """Check the whole document, then write it in one transaction; ImportRefused lists every problem."""
    today = today or study_today()
    implausible = document_problems(document, today=today)
    existing = set(Patient.objects.values_list("study_id", flat=True))
    try:
        plan, problems = document_plan(document, today=today, existing_study_ids=existing,
                                       skip_unsupported=skip_unsupported)
    except Exception:
        if not implausible:
            raise
        plan, problems = None, []  # the sections were not written for a year-1 date or 1e300: those problems say it
    problems = merged_problems(problems, implausible)
    if problems:
        raise ImportRefused(problems)
    others = 0
    with transaction.atomic():
        # The patients and their visits: checked one by one, written in bulk (a fixed number of statements).
        batch = EnrolmentBatch(user=user, reason=reason, today=today)
        patients = []
        for planned in plan.patients:
            patient = batch.enrol(planned.enrolment)
            for visit in planned.visits:
                visit_record(patient=patient, code=visit.code, values=visit.values, user=user, reason=reason,
                             today=today, bleeding_required=False, batch=batch)
            patients.append(patient)
        # The apps' sections, once every patient and visit is checked: added to the same batch where the section
        # can (`add`), otherwise written through their services once the batch is.
        later: list = []
        for patient, planned in zip(patients, plan.patients, strict=True):
            for section, planned_section in planned.sections:
                added = None if section.add is None else section.add(
                    bulk=batch.bulk, patient=patient, planned=planned_section, user=user, today=today)
                if added is None:
                    later.append((section, patient, planned_section))
                else:
                    others += added
        for section, planned_section in plan.study_sections:
            added = None if section.add is None else section.add(
                bulk=batch.bulk, planned=planned_section, user=user, today=today)
            if added is None:
                later.append((section, None, planned_section))
            else:
                others += added
        visits = batch.flush()
        for section, patient, planned_section in later:
            if patient is None:
                others += section.write(planned=planned_section, user=user, reason=reason, today=today)
            else:
                others += section.write(patient=patient, planned=planned_section, user=user, reason=reason,
                                        today=today)
    return ImportResult(patients=len(plan.patients), visits=visits, skipped=plan.skipped, other_records=others)
