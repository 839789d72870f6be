"""The study dashboard's reads, built for a study of thousands of patients: one page of patients (sorted by study
ID, filtered on the server) with their visit cells, and the whole study's counts from aggregate queries.

Nothing is read per patient of the study: the page's cells come from a handful of queries over the page's
patients, the counts from GROUP BY queries the database answers. A fixed number of queries whatever the size of
the study (asserted at 10 and 200 patients)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from casebook.models import Signature
from dosing.due import sirolimus_stop_dates
from dosing.models import DoseChange
from dosing.protocol import current_dosing_protocol
from dosing.tdm import RESPONDING, course_flag
from monitoring.models import Query
from monitoring.selectors import WAITING
from patients.models import Patient, Withdrawal
from visits.models import ScheduledVisit, Visit
from visits.response import Category
from visits.schedule import PROTOCOL_SCHEDULE, SlotStatus, slot_status

PAGE_SIZE = 50
CATEGORIES = tuple(c.value for c in Category)  # CR, R, NR, NE
NO_CATEGORY = "none"  # the category filter's value for patients without a response summary yet
QUICK_FILTERS = ("responding", "taper", "withdrawal", "overdue")
FOLLOW_UP_CODES = [v.code for v in PROTOCOL_SCHEDULE.visits if v.follow_up]
LATE = (SlotStatus.OVERDUE, SlotStatus.MISSED)


@dataclass(frozen=True)
class GridFilters:
    """What the physician or data manager narrowed the grid to (the page's GET parameters)."""

    study_id: str = ""  # part of a study ID
    category: str = ""  # current response category, or NO_CATEGORY
    open_queries: bool = False  # an open or answered query waits
    overdue: bool = False  # a protocol visit overdue or missed
    awaiting_signoff: bool = False  # a recorded visit no active signature covers
    quick: str = ""  # one of QUICK_FILTERS (the buttons the dashboard always had)

    @classmethod
    def from_query(cls, data) -> "GridFilters":
        quick = data.get("filter", "")
        category = data.get("category", "")
        return cls(study_id=data.get("q", "").strip()[:40],
                   category=category if category in (*CATEGORIES, NO_CATEGORY) else "",
                   open_queries=data.get("queries") == "1",
                   overdue=data.get("overdue") == "1" or quick == "overdue",
                   awaiting_signoff=data.get("unsigned") == "1",
                   quick=quick if quick in QUICK_FILTERS else "")

    @property
    def any(self) -> bool:
        return self != GridFilters()

    def params(self) -> dict[str, str]:
        """The GET parameters that select these filters (for the pages' links)."""
        values = {"q": self.study_id, "category": self.category, "queries": "1" if self.open_queries else "",
                  "overdue": "1" if self.overdue and self.quick != "overdue" else "",
                  "unsigned": "1" if self.awaiting_signoff else "", "filter": self.quick}
        return {key: value for key, value in values.items() if value}


def _with_stop_date(patients: QuerySet) -> QuerySet:
    """`stopped_on`: the day sirolimus was stopped, when the regimen's last change is a stop (dosing.tdm.stop_date)."""
    last = DoseChange.objects.filter(patient_id=OuterRef("pk")).order_by("-start_date", "-id")
    return patients.annotate(last_mg=Subquery(last.values("mg_per_day")[:1]),
                             last_start=Subquery(last.values("start_date")[:1])).annotate(
        stopped_on=Case(When(last_mg=0, then=F("last_start")), default=None))


def _late_visit(today: date) -> Exists:
    """A protocol visit of the outer patient overdue or missed on `today` (visits.schedule.slot_status in SQL:
    not done, its target passed, not off study by then, not a follow-up visit after sirolimus was stopped)."""
    never = Value(date.max, output_field=DateField())  # stands for "no off-study date" / "not stopped"
    slots = (ScheduledVisit.objects.filter(patient_id=OuterRef("pk"), visit__isnull=True, target_date__lt=today,
                                           latest__lt=Coalesce(OuterRef("withdrawal__off_study_date"), never))
             .exclude(code__in=FOLLOW_UP_CODES, earliest__gte=Coalesce(OuterRef("stopped_on"), never)))
    return Exists(slots)


def _unsigned_visit() -> Exists:
    """A recorded visit of the outer patient that no active signature covers: neither its own signature nor a
    casebook signed up to its date (casebook.locks.lock_for)."""
    active = Signature.objects.filter(voided_at__isnull=True)
    own = active.filter(visit_id=OuterRef("pk"))
    casebook = active.filter(patient_id=OuterRef("patient_id"), up_to__gte=OuterRef("visit_date"))
    return Exists(Visit.objects.filter(patient_id=OuterRef("pk")).filter(~Exists(own), ~Exists(casebook)))


def filtered_patients(filters: GridFilters, *, today: date) -> QuerySet:
    """The patients the filters keep, sorted by study ID (a query, not yet run)."""
    found = Patient.objects.all()
    if filters.study_id:
        found = found.filter(study_id__icontains=filters.study_id)
    if filters.category == NO_CATEGORY:
        found = found.filter(Q(response__isnull=True) | Q(response__current_status=""))
    elif filters.category:
        found = found.filter(response__current_status=filters.category)
    if filters.open_queries:
        found = found.filter(Exists(Query.objects.filter(patient_id=OuterRef("pk"), status__in=WAITING)))
    if filters.awaiting_signoff:
        found = found.filter(_unsigned_visit())
    if filters.quick == "responding":
        found = found.filter(response__current_status__in=RESPONDING)
    if filters.quick == "withdrawal":
        found = found.filter(withdrawal__isnull=False, withdrawal__off_study_date__isnull=True)
    if filters.overdue or filters.quick == "taper":
        found = _with_stop_date(found)
    if filters.overdue:
        found = found.filter(_late_visit(today))
    if filters.quick == "taper":  # dosing.tdm.course_flag == "taper", in SQL
        decision_day = today - timedelta(days=current_dosing_protocol().course_decision_day)
        found = (found.filter(start_date__lte=decision_day, response__current_status__isnull=False)
                 .exclude(response__current_status__in=[*RESPONDING, "", Category.NE])
                 .filter(Q(stopped_on__isnull=True) | Q(stopped_on__gt=today)))
    return found.order_by("study_id")


@dataclass(frozen=True)
class GridCell:
    code: str
    status: SlotStatus
    category: str | None
    queries: int = 0  # open queries on the visit
    sdv: str = ""  # "verified", "changed" (since verification) or ""


@dataclass(frozen=True)
class GridRow:
    patient: Patient
    cells: list[GridCell]
    overdue: bool
    responding: bool
    nr_at_month3: bool  # the protocol's month-3 decision says taper and stop (dosing.tdm.course_flag)
    withdrawal_pending: bool


def grid_rows(patients: list[Patient], *, today: date, marks: dict | None = None) -> list[GridRow]:
    """The grid's rows for these patients (a page: loaded with `response` and `withdrawal`): each cell the
    category of a done visit, else its status. Two queries; `marks` (monitoring.selectors.visit_marks) adds the
    open queries and verification of each visit."""
    ids = [p.pk for p in patients]
    stops = sirolimus_stop_dates(patient_ids=ids)
    marks = marks or {}
    cells: dict[int, dict[str, GridCell]] = {}
    # The page's slots with their visits; the visits joined are the page's patients' (read by their index: a plain
    # join would read every visit of the study).
    slots = (ScheduledVisit.objects.filter(patient_id__in=ids)
             .annotate(done=FilteredRelation("visit", condition=Q(visit__patient_id__in=ids))).order_by()
             .values_list("patient_id", "code", "target_date", "earliest", "latest", "done__id", "done__category"))
    off_study = {p.pk: _withdrawal(p).off_study_date for p in patients if _withdrawal(p) is not None}
    for patient_id, code, target, earliest, latest, visit_id, category in slots:
        status = slot_status(target=target, earliest=earliest, latest=latest, done=visit_id is not None, today=today,
                             follow_up=code in FOLLOW_UP_CODES, stopped_on=stops.get(patient_id),
                             off_study_on=off_study.get(patient_id))
        mark = marks.get((patient_id, code))
        sdv = "" if mark is None else "verified" if mark.verified else "changed" if mark.changed else ""
        cells.setdefault(patient_id, {})[code] = GridCell(code, status, category, mark.queries if mark else 0, sdv)
    rows = []
    for patient in patients:
        by_code = cells.get(patient.pk, {})
        row_cells = [by_code.get(v.code) or GridCell(v.code, SlotStatus.UPCOMING, None)
                     for v in PROTOCOL_SCHEDULE.visits]
        response = getattr(patient, "response", None)
        flag = course_flag(day0=patient.start_date, today=today, current_status=response and response.current_status,
                           stopped_on=stops.get(patient.pk))
        withdrawal = _withdrawal(patient)
        rows.append(GridRow(
            patient=patient,
            cells=row_cells,
            overdue=any(c.status in LATE for c in row_cells),
            responding=bool(response and response.current_status in RESPONDING),
            nr_at_month3=flag.kind == "taper",
            withdrawal_pending=withdrawal is not None and withdrawal.off_study_date is None,
        ))
    return rows


def _withdrawal(patient: Patient) -> Withdrawal | None:
    try:
        return patient.withdrawal
    except Withdrawal.DoesNotExist:
        return None


# --- the whole study's counts ------------------------------------------------------------------------------------

# visits.schedule.slot_status for every slot of the study, in one statement; the cell key is the category of a done
# visit (else "done") or the status. tests/test_study_grid.py holds it to slot_status case by case.
SLOT_COUNTS = """
WITH last_change AS (
    SELECT DISTINCT ON (patient_id) patient_id, start_date, mg_per_day
    FROM {dose} ORDER BY patient_id, start_date DESC, id DESC
)
SELECT s.code,
       CASE WHEN v.id IS NOT NULL THEN COALESCE(NULLIF(v.category, ''), 'done')
            WHEN w.off_study_date IS NOT NULL AND s.latest >= w.off_study_date THEN 'off-study'
            WHEN s.code = ANY(%(follow_up)s) AND c.mg_per_day = 0 AND c.start_date <= s.earliest
                THEN 'not-planned'
            WHEN %(today)s < s.earliest THEN 'upcoming'
            WHEN %(today)s <= s.target_date THEN 'due'
            WHEN %(today)s <= s.latest THEN 'overdue'
            ELSE 'missed' END AS cell,
       count(*)
FROM {slot} s
LEFT JOIN {visit} v ON v.slot_id = s.id
LEFT JOIN {withdrawal} w ON w.patient_id = s.patient_id
LEFT JOIN last_change c ON c.patient_id = s.patient_id
GROUP BY 1, 2
"""


def _slot_cells_in_python(today: date) -> list[tuple[str, str, int]]:
    """SLOT_COUNTS where its SQL does not run (SQLite, the demo of `make run`): slot_status over every slot, read
    in three queries."""
    stops = sirolimus_stop_dates(patient_ids=None)
    off_study = dict(Withdrawal.objects.filter(off_study_date__isnull=False).values_list("patient_id",
                                                                                          "off_study_date"))
    counts: dict[tuple[str, str], int] = {}
    slots = ScheduledVisit.objects.order_by().values_list("patient_id", "code", "target_date", "earliest", "latest",
                                                          "visit__id", "visit__category")
    for patient_id, code, target, earliest, latest, visit_id, category in slots:
        if visit_id is not None:
            cell = category or SlotStatus.DONE.value
        else:
            cell = slot_status(target=target, earliest=earliest, latest=latest, done=False, today=today,
                               follow_up=code in FOLLOW_UP_CODES, stopped_on=stops.get(patient_id),
                               off_study_on=off_study.get(patient_id)).value
        counts[(code, cell)] = counts.get((code, cell), 0) + 1
    return [(code, cell, n) for (code, cell), n in counts.items()]


def slot_counts(*, today: date) -> list[dict]:
    """Per protocol visit, over the whole study: how many slots hold each category (done) or status. One query
    (on PostgreSQL)."""
    if connection.vendor == "postgresql":
        sql = SLOT_COUNTS.format(dose=DoseChange._meta.db_table, slot=ScheduledVisit._meta.db_table,
                                 visit=Visit._meta.db_table, withdrawal=Withdrawal._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(sql, {"today": today, "follow_up": FOLLOW_UP_CODES})
            found = cursor.fetchall()
    else:
        found = _slot_cells_in_python(today)
    by_code: dict[str, dict[str, int]] = {}
    for code, cell, n in found:
        by_code.setdefault(code, {})[cell] = n
    order = [*CATEGORIES, "done", *(s.value for s in SlotStatus if s is not SlotStatus.DONE)]
    return [{"code": v.code, "label": v.label,
             "counts": dict(sorted(by_code.get(v.code, {}).items(), key=lambda item: order.index(item[0])
                                   if item[0] in order else len(order)))}
            for v in PROTOCOL_SCHEDULE.visits]


def category_counts() -> dict[str, int]:
    """Patients per current response category over the whole study (NO_CATEGORY: no summary yet). One query."""
    counts = {c: 0 for c in (*CATEGORIES, NO_CATEGORY)}
    for status, n in Patient.objects.values_list("response__current_status").annotate(n=Count("pk")).order_by():
        key = status if status in CATEGORIES else NO_CATEGORY
        counts[key] += n
    return counts
