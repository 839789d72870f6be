"""Finding patients on the list: by status, by what is due or overdue, and by text; counts per filter; pages.

Everything the filters need is read for all patients in a fixed number of queries (about a dozen, whatever the
number of patients); the rows of the page shown are then read in three more. Filtering and counting happen in
Python over those facts, so a filter's count and its rows always agree.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casebook.course import courses
from casebook.due import due_items
from patients.models import Patient

from .models import ScheduledVisit
from .schedule import SlotStatus
from .selectors import next_open_slots

PAGE_SIZE = 25
DUE, OVERDUE = "due", "overdue"


@dataclass
class PatientFacts:
    """What the filters look at, for one patient."""

    pk: int
    current_status: str | None
    stopped: bool  # sirolimus stopped (the regimen ends with 0 mg/day)
    withdrawal: str | None  # None, "pending" or "completed"
    due: dict[str, str] = field(default_factory=dict)  # "visit" | "labs" | "trough" -> "due" | "overdue"


@dataclass(frozen=True)
class Filter:
    key: str
    label: str
    test: Callable[[PatientFacts], bool]


STATUS_FILTERS = (
    Filter("on_treatment", _("On treatment"), lambda f: not f.stopped and f.withdrawal != "completed"),
    Filter("responding", _("Responding (R or CR)"), lambda f: f.current_status in ("R", "CR")),
    Filter("withdrawal", _("Withdrawal pending"), lambda f: f.withdrawal == "pending"),
    Filter("off_study", _("Off study"), lambda f: f.withdrawal == "completed"),
)
DUE_FILTERS = (
    Filter("visit", _("Visit"), lambda f: "visit" in f.due),
    Filter("labs", _("Safety labs"), lambda f: "labs" in f.due),
    Filter("trough", _("Trough level"), lambda f: "trough" in f.due),
    Filter("any", _("Anything overdue"), lambda f: OVERDUE in f.due.values()),
)
STATUS_BY_KEY = {f.key: f for f in STATUS_FILTERS}
DUE_BY_KEY = {f.key: f for f in DUE_FILTERS}


@dataclass(frozen=True)
class PatientRow:
    patient: Patient
    next_slot: ScheduledVisit | None
    next_status: SlotStatus | None
    due: dict[str, str]


@dataclass(frozen=True)
class FilterCount:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class PatientFinding:
    rows: list[PatientRow]
    page: Page
    total: int  # patients matching the text, before the status and due filters
    status_counts: list[FilterCount]
    due_counts: list[FilterCount]


def _worse(a: str | None, b: str) -> str:
    return OVERDUE if OVERDUE in (a, b) else b


def _text_query(text: str) -> Q:
    text = text.strip()
    if not text:
        return Q()
    return Q(study_id__icontains=text) | Q(initials__icontains=text)


def patient_facts(*, text: str = "", today: date) -> list[PatientFacts]:
    """The facts of every patient matching `text` (study id, or initials where recorded), by study id."""
    rows = (Patient.objects.filter(_text_query(text)).order_by("study_id")
            .values_list("pk", "response__current_status", "withdrawal__off_study_date", "withdrawal__id"))
    facts: dict[int, PatientFacts] = {}
    for pk, current, off_study, withdrawal_id in rows:
        withdrawal = None if withdrawal_id is None else ("completed" if off_study else "pending")
        facts[pk] = PatientFacts(pk=pk, current_status=current, stopped=False, withdrawal=withdrawal)
    if not facts:
        return []
    for patient_id, course in courses(patient_ids=list(facts)).items():
        facts[patient_id].stopped = course.stopped_on is not None
    for item in due_items(today=today):  # the reminder scan's sources: off study, no visit or trough is due
        if item.patient_id in facts:
            fact = facts[item.patient_id]
            fact.due[item.topic] = _worse(fact.due.get(item.topic), OVERDUE if item.overdue else DUE)
    return list(facts.values())


def patient_find(*, text: str = "", status: str = "", due: str = "", page: int | str = 1,
                 today: date, page_size: int = PAGE_SIZE) -> PatientFinding:
    """One page of the patient list with its filters applied, and the count of each filter (text applied)."""
    facts = patient_facts(text=text, today=today)
    status_filter, due_filter = STATUS_BY_KEY.get(status), DUE_BY_KEY.get(due)
    matching = [f for f in facts if (status_filter is None or status_filter.test(f))
                and (due_filter is None or due_filter.test(f))]
    page_obj = Paginator(matching, page_size).get_page(page)
    chosen = [f.pk for f in page_obj.object_list]
    patients = {p.pk: p for p in Patient.objects.filter(pk__in=chosen).select_related("response", "withdrawal")}
    course = courses(patient_ids=chosen)
    next_slots = next_open_slots(patient_ids=chosen, today=today,
                                 stops={pk: c.stopped_on for pk, c in course.items() if c.stopped_on},
                                 off_study={pk: c.off_study_on for pk, c in course.items() if c.off_study_on})
    by_pk = {f.pk: f for f in page_obj.object_list}
    rows = [PatientRow(patients[pk], *next_slots.get(pk, (None, None)), due=by_pk[pk].due) for pk in chosen]
    return PatientFinding(
        rows=rows, page=page_obj, total=len(facts),
        status_counts=[FilterCount(f.key, str(f.label), sum(1 for x in facts if f.test(x))) for f in STATUS_FILTERS],
        due_counts=[FilterCount(f.key, str(f.label), sum(1 for x in facts if f.test(x))) for f in DUE_FILTERS],
    )

