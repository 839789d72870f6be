"""Reads of queries and verifications for pages and counts. Counts over many patients take a fixed number of
queries whatever their number (one per declared record type at most): tests assert it at 10 and 500 patients."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Count, Exists, F, Min, OuterRef, Q, Subquery
from django.utils import timezone

from itp_trial.roles import ANSWER_QUERIES, RAISE_QUERIES

from . import records
from .models import MessageKind, Query, QueryMessage, QueryStatus, Verification
from .texts import message_text

WAITING = (QueryStatus.OPEN, QueryStatus.ANSWERED)

# The critical fields of source-data verification, per record type (SDV progress counts them apart).
CRITICAL_FIELDS: dict[str, tuple[str, ...]] = {
    "visit": ("platelets", "bleeding_grade"),
    "dose": ("mg_per_day",),
    "trough": ("ng_ml",),
    "adverse_event": ("grade", "relation"),
}


def first_question():
    return Subquery(QueryMessage.objects.filter(query=OuterRef("pk"), kind=MessageKind.QUESTION)
                    .order_by("written_at", "id").values("text")[:1])


def describe(queries: list[Query]) -> list[Query]:
    """Give each query `where` (type, record, field as people name them), `declaration`, `record` and `age`:
    one query per record type present, whatever the number of queries."""
    wanted: dict[str, set[int]] = {}
    for query in queries:
        wanted.setdefault(query.record_type, set()).add(query.record_id)
    found = {}
    for key, ids in wanted.items():
        try:
            declaration = records.declaration(key)
        except records.UnknownRecord:
            continue
        model = declaration.model
        relations = [f.name for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one]
        for record in model._default_manager.select_related(*relations).filter(pk__in=ids):
            found[(key, record.pk)] = (declaration, record)
    now = timezone.now()
    for query in queries:
        declaration, record = found.get((query.record_type, query.record_id), (None, None))
        query.declaration, query.record = declaration, record
        label = str(declaration.label) if declaration else query.record_type
        name = str(record) if record is not None else f"#{query.record_id}"
        query.field_label = records.field_label(declaration.model, query.field) if declaration else query.field
        query.where = f"{label} {name}" + (f" · {query.field_label}" if query.field else "")
        query.age_days = (now - query.waiting_since).days
        query.question = message_text(getattr(query, "question", "") or "")  # a system question: translated
    return queries


def queries_on(*, patient_id: int, statuses=WAITING) -> list[Query]:
    found = (Query.objects.filter(patient_id=patient_id, status__in=statuses)
             .annotate(question=first_question()).order_by("waiting_since", "id"))
    return describe(list(found))


def record_queries(*, record_type: str, record_id: int) -> list[Query]:
    return list(Query.objects.filter(record_type=record_type, record_id=record_id)
                .annotate(question=first_question()).order_by("-status", "-waiting_since", "id"))


def thread(query: Query) -> list[QueryMessage]:
    """The query's messages in order, each with `shown`: its text in the reader's language when the system wrote
    it (monitoring.texts), as written otherwise."""
    messages = list(query.messages.select_related("author").order_by("written_at", "id"))
    for message in messages:
        message.shown = message_text(message.text)
    return messages


# --- the queries page --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class QueryFilters:
    status: str = ""  # "", "waiting" (open or answered) or a status
    study_id: str = ""
    record_type: str = ""
    min_age_days: int | None = None
    oldest_first: bool = True


def query_list(*, filters: QueryFilters, limit: int = 200) -> tuple[list[Query], int]:
    found = Query.objects.select_related("patient", "raised_by").annotate(question=first_question())
    if filters.status == "waiting":
        found = found.filter(status__in=WAITING)
    elif filters.status:
        found = found.filter(status=filters.status)
    if filters.study_id:
        found = found.filter(patient__study_id__iexact=filters.study_id)
    if filters.record_type:
        found = found.filter(record_type=filters.record_type)
    if filters.min_age_days is not None:
        found = found.filter(waiting_since__lte=timezone.now() - timedelta(days=filters.min_age_days))
    found = found.order_by("waiting_since" if filters.oldest_first else "-waiting_since", "id")
    total = found.count()
    return describe(list(found[:limit])), total


# --- counts ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class OpenCount:
    count: int = 0
    oldest: datetime | None = None

    @property
    def age_days(self) -> int | None:
        return (timezone.now() - self.oldest).days if self.oldest else None


def open_counts(*, patient_ids: list[int]) -> dict[int, OpenCount]:
    """Open (or answered, not yet closed) queries per patient with the oldest one's waiting time. One query."""
    rows = (Query.objects.filter(patient_id__in=patient_ids, status__in=WAITING).values("patient_id")
            .annotate(n=Count("id"), oldest=Min("waiting_since")).order_by())
    return {row["patient_id"]: OpenCount(row["n"], row["oldest"]) for row in rows}


def study_open_count() -> OpenCount:
    row = Query.objects.filter(status__in=WAITING).aggregate(n=Count("id"), oldest=Min("waiting_since"))
    return OpenCount(row["n"], row["oldest"])


@dataclass
class CellMark:
    queries: int = 0
    verified: bool = False
    changed: bool = False  # verified once, changed since


def visit_marks(*, patient_ids: list[int]) -> dict[tuple[int, str], CellMark]:
    """Per (patient, visit code): open queries on the visit and its verification state. Two queries, each reading
    only the patients' rows through their indexes (a page of the grid costs the same at any size of the study)."""
    from visits.models import Visit  # the grid's cells are visits

    marks: dict[tuple[int, str], CellMark] = {}
    waiting = dict(Query.objects.filter(patient_id__in=patient_ids, record_type="visit", status__in=WAITING)
                   .values_list("record_id").annotate(n=Count("id")).order_by())
    verified = Verification.objects.filter(record_type="visit", record_id=OuterRef("pk"), field="")
    # slot__patient_id: the same patients (a visit's slot is its patient's), so the slots are read by their index
    rows = (Visit.objects.filter(patient_id__in=patient_ids, slot__patient_id__in=patient_ids)
            .annotate(ok=Exists(verified.filter(record_version=OuterRef("version"))),
                      moved=Exists(verified.filter(record_version__lt=OuterRef("version"))))
            .order_by().values_list("patient_id", "slot__code", "ok", "moved", "pk"))
    for patient_id, code, ok, moved, pk in rows:
        marks[(patient_id, code)] = CellMark(queries=waiting.get(pk, 0), verified=ok, changed=moved and not ok)
    return marks


@dataclass
class Progress:
    records: int = 0
    verified: int = 0
    changed: int = 0
    critical: int = 0
    critical_verified: int = 0

    @staticmethod
    def share(part: int, whole: int) -> int | None:
        return round(100 * part / whole) if whole else None

    @property
    def records_share(self) -> int | None:
        return self.share(self.verified, self.records)

    @property
    def critical_share(self) -> int | None:
        return self.share(self.critical_verified, self.critical)

    def add(self, other: "Progress") -> None:
        for name in ("records", "verified", "changed", "critical", "critical_verified"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _patient_column(declaration) -> str | None:
    if declaration.key == "patient":
        return "pk"
    return "patient_id" if records.has_patient(declaration) else None


def sdv_progress(*, patient_ids: list[int] | None = None) -> dict[int, Progress]:
    """Per patient: records and critical fields verified at their current version, and records changed since
    their verification. One query per record type with a patient, whatever the number of patients."""
    progress: dict[int, Progress] = {}
    for declaration in records.monitored_types():
        column = _patient_column(declaration)
        if column is None:
            continue
        marks = Verification.objects.filter(record_type=declaration.key, record_id=OuterRef("pk"))
        current = marks.filter(record_version=OuterRef("version"))
        critical = CRITICAL_FIELDS.get(declaration.key, ())
        found = declaration.model._default_manager.all()
        if patient_ids is not None:
            found = found.filter(**{f"{column}__in": patient_ids})
        found = found.annotate(pid=F(column), ok=Exists(current.filter(field="")),
                               moved=Exists(marks.filter(field="", record_version__lt=OuterRef("version"))),
                               **{f"ok_{name}": Exists(current.filter(field__in=["", name])) for name in critical})
        totals = {"n": Count("pk"), "verified": Count("pk", filter=Q(ok=True)),
                  "changed": Count("pk", filter=Q(moved=True, ok=False)),
                  **{f"c_{name}": Count("pk", filter=Q(**{f"ok_{name}": True})) for name in critical}}
        for row in found.values("pid").annotate(**totals).order_by():
            item = Progress(records=row["n"], verified=row["verified"], changed=row["changed"],
                            critical=row["n"] * len(critical),
                            critical_verified=sum(row[f"c_{name}"] for name in critical))
            progress.setdefault(row["pid"], Progress()).add(item)
    return progress


# One part per record type of the study's SDV progress: its records, and from the verification marks joined to
# their records (a primary-key lookup each), the records verified at their current version, those changed since
# and the critical fields verified (the record as a whole, or the field). Portable SQL (SQLite runs it too).
PROGRESS_PART = """
SELECT %s, {records}, COALESCE(SUM(whole), 0), COALESCE(SUM(CASE WHEN moved = 1 AND whole = 0 THEN 1 ELSE 0 END), 0),
       {critical_verified}
FROM (SELECT m.record_id,
             MAX(CASE WHEN m.field = '' AND m.record_version = r.version THEN 1 ELSE 0 END) AS whole,
             MAX(CASE WHEN m.field = '' AND m.record_version < r.version THEN 1 ELSE 0 END) AS moved{fields}
      FROM {verification} m JOIN {table} r ON r.{pk} = m.record_id
      WHERE m.record_type = %s AND m.field IN ({names})
      GROUP BY m.record_id) marks
"""


def _progress_part(declaration) -> tuple[str, list]:
    quote = connection.ops.quote_name
    model = declaration.model
    critical = CRITICAL_FIELDS.get(declaration.key, ())
    fields = "".join(f",\n             MAX(CASE WHEN m.field = %s AND m.record_version = r.version THEN 1 ELSE 0 END)"
                     f" AS c{i}" for i in range(len(critical)))
    verified = " + ".join(f"COALESCE(SUM(CASE WHEN whole = 1 OR c{i} = 1 THEN 1 ELSE 0 END), 0)"
                          for i in range(len(critical))) or "0"
    sql = PROGRESS_PART.format(
        records=f"(SELECT COUNT(*) FROM {quote(model._meta.db_table)})", critical_verified=verified, fields=fields,
        verification=quote(Verification._meta.db_table), table=quote(model._meta.db_table),
        pk=quote(model._meta.pk.column), names=", ".join(["%s"] * (len(critical) + 1)))
    return sql, [declaration.key, *critical, declaration.key, "", *critical]


def study_progress() -> Progress:
    """The whole study's SDV progress (as the sum of sdv_progress over every patient) in one query, whatever the
    number of patients: each record type's records counted, its verification marks joined to their records."""
    parts = [_progress_part(d) for d in records.monitored_types() if _patient_column(d) is not None]
    total = Progress()
    if not parts:
        return total
    with connection.cursor() as cursor:
        cursor.execute("\nUNION ALL\n".join(sql for sql, _ in parts), [p for _, params in parts for p in params])
        rows = cursor.fetchall()
    for key, n, verified, changed, critical_verified in rows:
        critical = CRITICAL_FIELDS.get(key, ())
        total.add(Progress(records=n, verified=verified, changed=changed, critical=n * len(critical),
                           critical_verified=critical_verified))
    return total


# --- a patient's records and fields on its page ------------------------------------------------------------------

@dataclass
class RecordMark:
    fields: dict[str, int] = field(default_factory=dict)  # field ("" = record) → open queries
    verification: Verification | None = None

    @property
    def open(self) -> int:
        return sum(self.fields.values())


def patient_marks(*, patient_id: int) -> dict[tuple[str, int], RecordMark]:
    """Open queries per field and the record-level verification of every record of a patient. Two queries."""
    marks: dict[tuple[str, int], RecordMark] = {}
    rows = (Query.objects.filter(patient_id=patient_id, status__in=WAITING)
            .values_list("record_type", "record_id", "field").annotate(n=Count("id")).order_by())
    for key, pk, name, n in rows:
        mark = marks.setdefault((key, pk), RecordMark())
        mark.fields[name] = mark.fields.get(name, 0) + n
    for verification in Verification.objects.filter(patient_id=patient_id, field="").select_related("verified_by"):
        marks.setdefault((verification.record_type, verification.record_id), RecordMark()).verification = verification
    return marks


def verifications_of(*, record_type: str, record_id: int) -> dict[str, Verification]:
    return {v.field: v for v in Verification.objects.filter(record_type=record_type, record_id=record_id)
            .select_related("verified_by")}


class ChangedMarks:
    """Records (and fields) verified at a version their record has moved past, oldest verification first, as a
    sequence a Paginator pages through: `count()` is one COUNT per record type with marks, and a slice up to row n
    reads at most n marks per record type (the database compares the versions), then the records they mark."""

    def _marks(self):
        for declaration in records.monitored_types():
            newer = declaration.model._default_manager.filter(pk=OuterRef("record_id"),
                                                              version__gt=OuterRef("record_version"))
            yield Verification.objects.filter(record_type=declaration.key).filter(Exists(newer))

    def count(self) -> int:
        return sum(marks.count() for marks in self._marks())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[tuple[Verification, object]]:
        start, stop = window.start or 0, window.stop
        marks: list[Verification] = []
        for found in self._marks():
            marks += found.select_related("verified_by", "patient").order_by("verified_at", "id")[:stop]
        marks = sorted(marks, key=lambda mark: (mark.verified_at, mark.pk))[start:stop]
        wanted: dict[str, set[int]] = {}
        for mark in marks:
            wanted.setdefault(mark.record_type, set()).add(mark.record_id)
        current = {}
        for key, ids in wanted.items():
            model = records.declaration(key).model
            relations = [f.name for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one]
            for record in model._default_manager.select_related(*relations).filter(pk__in=ids):
                current[(key, record.pk)] = record
        return [(mark, current[(mark.record_type, mark.record_id)]) for mark in marks
                if (mark.record_type, mark.record_id) in current]


def changed_since_verification(*, limit: int = 500) -> list[tuple[Verification, object]]:
    """The first `limit` of ChangedMarks: two queries per record type with such marks, whatever their number."""
    return ChangedMarks()[0:limit]


# --- the inbox ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class InboxLine:
    status: str  # the queries waiting for this user's role: open (an answer is due) or answered (a decision is)
    count: OpenCount
    queries: list[Query]


def inbox_queries(*, user, show: int = 20) -> list[InboxLine]:
    """What waits for the user's role: questions to answer (nurse, physician), answers to decide on (monitor,
    data manager), with the oldest one's age. Three queries per line, whatever their number."""
    lines = []
    for permission, status in ((ANSWER_QUERIES, QueryStatus.OPEN), (RAISE_QUERIES, QueryStatus.ANSWERED)):
        if not user.has_perm(permission):
            continue
        found = Query.objects.filter(status=status)
        row = found.aggregate(n=Count("id"), oldest=Min("waiting_since"))
        shown = describe(list(found.select_related("patient").annotate(question=first_question())
                              .order_by("waiting_since", "id")[:show]))
        lines.append(InboxLine(status, OpenCount(row["n"], row["oldest"]), shown))
    return lines
