"""The visits app's CSV datasets: visits (with a PostgreSQL COPY form giving the same bytes) and rescue therapy."""

from collections.abc import Iterator

from casebook.datasets import CHUNK, Column, day

from .models import RescueTherapy, ScheduledVisit, Visit
from .protocol import current_protocol
from .schedule import PROTOCOL_SCHEDULE, UNSCHEDULED

CATEGORIES = "CR, R, NR, NE"

VISIT_COLUMNS = (
    Column("study_id", "Study id", "text"),
    Column("visit", "Visit (schedule code or unscheduled)", "text",
           allowed=", ".join([*PROTOCOL_SCHEDULE.codes, UNSCHEDULED])),
    Column("date", "Visit date", "date"),
    Column("day", "Days since day 0", "integer", "days"),
    Column("platelets", "Platelet count", "decimal", "×10^9/L"),
    Column("bleeding", "Bleeding (WHO grade ≥ 1)", "boolean", allowed="true, false; empty = not recorded"),
    Column("bleeding_grade", "WHO bleeding grade", "integer", allowed="0-4; empty = not graded"),
    Column("haemoglobin", "Haemoglobin", "decimal", "g/L"),
    Column("white_cells", "White cells", "decimal", "×10^9/L"),
    Column("category", "Response category at this visit (computed on save)", "text", allowed=CATEGORIES),
    Column("in_rescue_window", "Within 28 days after rescue therapy", "boolean", allowed="true, false"),
    Column("out_of_window_days", "Days outside the visit window (- early, + late)", "integer", "days"),
)


def _bleeding(grade: int | None, reported: bool | None, minimum: int) -> bool | None:
    if grade is not None:
        return grade >= minimum
    return reported


def visit_rows() -> Iterator[tuple]:
    minimum = current_protocol().bleeding_grade_min
    visits = Visit.objects.order_by("patient__study_id", "visit_date", "id").values_list(
        "patient__study_id", "slot__code", "visit_date", "patient__start_date", "platelets", "bleeding_grade",
        "bleeding_reported", "haemoglobin", "white_cells", "category", "in_rescue_window", "out_of_window_days",
    )
    for sid, code, day_date, start, platelets, grade, reported, hb, wbc, category, rescue, outside in visits.iterator(
        chunk_size=CHUNK
    ):
        yield (sid, code or UNSCHEDULED, day_date, (day_date - start).days, platelets,
               _bleeding(grade, reported, minimum), grade, hb, wbc, category, rescue, outside)


def _sql_text(expression: str) -> str:
    """The SQL form of the CSV writer's formula neutralising (a leading apostrophe)."""
    return f"CASE WHEN {expression} ~ '^[-=+@\\t\\r]' THEN '''' || {expression} ELSE {expression} END"


def _sql_bool(expression: str) -> str:
    return f"CASE WHEN {expression} IS NULL THEN NULL WHEN {expression} THEN 'true' ELSE 'false' END"


def visit_copy_sql() -> str:
    minimum = int(current_protocol().bleeding_grade_min)
    v, s = Visit._meta.db_table, ScheduledVisit._meta.db_table
    p = Visit._meta.get_field("patient").related_model._meta.db_table
    return f"""
        SELECT {_sql_text("p.study_id")}, {_sql_text(f"COALESCE(s.code, '{UNSCHEDULED}')")}, v.visit_date,
               v.visit_date - p.start_date, v.platelets,
               {_sql_bool(f"COALESCE(v.bleeding_grade >= {minimum}, v.bleeding_reported)")},
               v.bleeding_grade, v.haemoglobin, v.white_cells, {_sql_text("v.category")},
               {_sql_bool("v.in_rescue_window")}, v.out_of_window_days
        FROM {v} v JOIN {p} p ON p.id = v.patient_id LEFT JOIN {s} s ON s.id = v.slot_id
        ORDER BY p.study_id, v.visit_date, v.id
    """


RESCUE_COLUMNS = (
    Column("study_id", "Study id", "text"),
    Column("given_on", "Date given", "date"),
    Column("day", "Days since day 0", "integer", "days"),
    Column("kind", "Rescue therapy", "text", allowed=", ".join(RescueTherapy.Kind.values)),
    Column("details", "Details", "text"),
)


def rescue_rows() -> Iterator[tuple]:
    rescues = RescueTherapy.objects.order_by("patient__study_id", "given_on", "id").values_list(
        "patient__study_id", "given_on", "patient__start_date", "kind", "details")
    for sid, given_on, day0, kind, details in rescues.iterator(chunk_size=CHUNK):
        yield (sid, given_on, day(given_on, day0), kind, details or None)
