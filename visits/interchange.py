"""The interchange section of rescue therapy (an addition to SPEC §6; see casebook/interchange.py).

`rescue_therapies`: [{"date", "kind"} + optional "details"], kind one of ivig, transfusion, glucocorticoid,
new_itp_drug. Checked here first, with its JSON path: the import is all-or-nothing.
"""

from datetime import date

from django.core.exceptions import ValidationError

from casebook.interchange import (
    BulkWrite,
    PatientSection,
    Problems,
    SectionContext,
    day_text,
    entry,
    parse_date,
    parse_items,
    parse_text,
)
from itp_trial.validation import problems_error
from patients.interchange import study_ids_claim
from patients.models import Patient

from .enrolment import EnrolmentInput, enrolment_patient, enrolment_problems, enrolment_records
from .models import RescueTherapy, ResponseSummary, ScheduledVisit, Visit
from .schedule import BASELINE, UNSCHEDULED
from .services import VISIT_EXISTS, RescueValues, VisitValues, rescue_record, response_values, visit_build, visit_record

RESCUE_KEYS = {"date", "kind", "details"}


def parse_rescues(raw: dict, path: str, problems: Problems, context: SectionContext) -> list | None:
    before = len(problems.items)
    planned = []
    for _, at, item in parse_items(raw, "rescue_therapies", path, RESCUE_KEYS, problems):
        given_on = parse_date(item.get("date"), f"{at}.date", problems)
        kind = item.get("kind")
        if kind not in RescueTherapy.Kind.values:
            problems.add(f"{at}.kind", f"must be one of {', '.join(RescueTherapy.Kind.values)}")
        details = parse_text(item, "details", at, problems, limit=200)
        if given_on is not None and given_on > context.today:
            problems.add(f"{at}.date", "cannot be in the future")
        if given_on is not None and kind in RescueTherapy.Kind.values:
            planned.append(RescueValues(given_on=given_on, kind=kind, details=details))
    return planned if len(problems.items) == before else None


def write_rescues(*, patient, planned: list[RescueValues], user, reason: str, today: date) -> int:
    for values in planned:
        rescue_record(patient=patient, given_on=values.given_on, kind=values.kind, details=values.details,
                      user=user, reason=reason, today=today)
    return len(planned)


def add_rescues(*, bulk: BulkWrite, patient, planned: list[RescueValues], user, today: date) -> int:
    """The import's rescue therapies, in its batch (their dates were checked by parse_rescues as rescue_record
    checks them); EnrolmentBatch.flush classifies the patient's visits knowing them."""
    for values in planned:
        bulk.add(RescueTherapy(patient=patient, given_on=values.given_on, kind=values.kind, details=values.details))
    return len(planned)


def export_rescues(patient) -> dict:
    rescues = [entry(("date", day_text(r.given_on)), ("kind", r.kind), ("details", r.details))
               for r in RescueTherapy.objects.filter(patient=patient).order_by("given_on", "id")]
    return {"rescue_therapies": rescues} if rescues else {}


RESCUE_SECTION = PatientSection(keys=("rescue_therapies",), parse=parse_rescues, write=write_rescues,
                                export=export_rescues, add=add_rescues)


# A visit's measured values the import has checked whole before they reach the batch: platelets and bleeding grade
# by visit_problems (range) and, like haemoglobin and white cells, by the document's parse with the column's limits
# (range and decimal places: reports.interchange._visit), so not checked again field by field.
IMPORT_CHECKED_VISIT_FIELDS = frozenset({"platelets", "bleeding_grade", "haemoglobin", "white_cells"})


class EnrolmentBatch:
    """The import's new patients and their visits, written together: each patient checked as patient_enrol checks
    it and each visit as visit_record does (the same functions), the responses computed in memory, then every row
    written in bulk with its history row (casebook.interchange.BulkWrite), inside the import's transaction.

        batch = EnrolmentBatch(user=user, reason=reason, today=today)
        patient = batch.enrol(data)                                  # checked, its baseline visit added
        visit_record(patient=patient, code=..., values=..., user=user, batch=batch)  # checked and added
        batch.flush()                                                # the rows, history and response summaries
    """

    def __init__(self, *, user, reason: str, today: date):
        self.user, self.today = user, today
        self.bulk = BulkWrite(user=user, reason=reason)
        self.patients: list[Patient] = []
        self._slots: dict[int, dict[str, ScheduledVisit]] = {}  # by id() of the unsaved patient, by code
        self._visits: dict[int, list[Visit]] = {}

    def enrol(self, data: EnrolmentInput) -> Patient:
        """The import's enrolment (no checklist or consent required): the patient, its records, slots and baseline."""
        problems = enrolment_problems(data, today=self.today, bleeding_required=False)
        if problems:
            raise problems_error(problems)
        patient = self.bulk.add(enrolment_patient(data, user=self.user, study_id=data.study_id))
        records, slots = enrolment_records(patient, data, user=self.user)
        for record in records:
            self.bulk.add(record)
        for slot in slots:
            self.bulk.add_derived(slot)
        self.patients.append(patient)
        self._slots[id(patient)] = {slot.code: slot for slot in slots}
        self._visits[id(patient)] = []
        visit_record(patient=patient, code=BASELINE, values=data.baseline, user=self.user, today=self.today,
                     bleeding_required=False, batch=self)
        return patient

    def visit_add(self, *, patient: Patient, code: str, values: VisitValues, today: date,
                  bleeding_required: bool) -> Visit:
        """A visit of a patient enrolled in this batch (visit_record with `batch`): checked, then kept."""
        visits = self._visits[id(patient)]
        slot = None
        if code != UNSCHEDULED:
            slot = self._slots[id(patient)].get(code)
            if slot is None:
                raise ValidationError({"code": f"{code} is not a visit of this patient's schedule."})
            if any(v.slot is slot for v in visits):
                raise ValidationError({"code": ValidationError(
                    "The %(code)s visit is already recorded; correct it instead.", code=VISIT_EXISTS,
                    params={"code": code, "visit_id": None})})
        visit = visit_build(patient=patient, slot=slot, code=code, values=values, today=today,
                            bleeding_required=bleeding_required)
        visits.append(self.bulk.add(visit, checked=IMPORT_CHECKED_VISIT_FIELDS))
        return visit

    def flush(self) -> int:
        """Write everything added (study ids claimed under the sequence's lock); returns how many visits."""
        if self.patients:
            study_ids_claim([p.study_id for p in self.patients])
        rescue_dates: dict[int, list[date]] = {}  # the rescue therapies the import's sections added
        for rescue in self.bulk.records.get(RescueTherapy, []):
            rescue_dates.setdefault(id(rescue.patient), []).append(rescue.given_on)
        summaries = []
        for patient in self.patients:
            # Saved one by one, visits are classified by date, then in the order they were saved (added here).
            visits = sorted(self._visits[id(patient)], key=lambda v: v.visit_date)
            values, _ = response_values(patient=patient, visits=visits,
                                        rescue_dates=rescue_dates.get(id(patient), []))
            summaries.append(ResponseSummary(patient=patient, **values))
        written = self.bulk.flush()  # with what the sections added (a file of healthy controls has no patient)
        if summaries:
            ResponseSummary.objects.bulk_create(summaries)
        return written.get(Visit, 0)
