"""The study interchange format's shared pieces (SPEC §6): problems with JSON paths, typed values, sections.

A record type stored in the format declares its section (`RecordType.section`): a PatientSection (keys of a
patient object) or a StudySection (top-level keys), each able to read its keys (parse, then write through the
app's services) and to write them back (export). The study document is read and written by iterating the
declarations in their order; the apps' interchange modules import this one, never reports.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.utils import timezone

from .checks import collected_errors

DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")  # date.fromisoformat alone also takes "2025-W03-1"


@dataclass(frozen=True)
class Limits:
    """What a decimal column accepts: its validators' bounds and its decimal places."""

    low: Decimal | None
    high: Decimal | None
    places: int


def column_limits(model, name: str) -> Limits:
    column = model._meta.get_field(name)
    low = next((v.limit_value for v in column.validators if isinstance(v, MinValueValidator)), None)
    high = next((v.limit_value for v in column.validators if isinstance(v, MaxValueValidator)), None)
    return Limits(low, high, column.decimal_places)


class ImportRefused(Exception):
    """The document cannot be imported; `problems` lists every one, each with its JSON path."""

    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


class Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.items.append(f"{path}: {message}")


def parse_date(value, path: str, problems: Problems, *, required: bool = True) -> date | None:
    if value is None:
        if required:
            problems.add(path, "is required")
        return None
    if not isinstance(value, str):
        problems.add(path, "must be a date written YYYY-MM-DD")
        return None
    try:
        if not DATE_PATTERN.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        problems.add(path, f"'{value}' is not a date written YYYY-MM-DD")
        return None


def parse_number(value, path: str, problems: Problems, *, required: bool = True, limits: Limits | None = None,
            check_range: bool = True) -> Decimal | None:
    """A JSON number as a Decimal; with `limits`, also its column's decimal places (and range, if check_range)."""
    if value is None:
        if required:
            problems.add(path, "is required")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.add(path, "must be a number")
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():  # Python's json reads NaN and Infinity
        problems.add(path, "must be a number")
        return None
    if limits is not None:
        too_low = limits.low is not None and number < limits.low
        too_high = limits.high is not None and number > limits.high
        if check_range and (too_low or too_high):
            bounded = None not in (limits.low, limits.high)
            problems.add(path, f"must be between {limits.low} and {limits.high}" if bounded
                         else f"must be at least {limits.low}" if too_low else f"must be at most {limits.high}")
        if number.as_tuple().exponent < -limits.places:
            problems.add(path, f"must have at most {limits.places} decimal place{'' if limits.places == 1 else 's'}")
    return number


def parse_bool(value, path: str, problems: Problems, *, required: bool = False) -> bool | None:
    if value is None:
        if required:
            problems.add(path, "is required")
        return None
    if not isinstance(value, bool):
        problems.add(path, "must be true or false")
        return None
    return value


def parse_list(raw: dict, key: str, path: str, problems: Problems) -> list:
    """`raw[key]` when it is a list; otherwise a problem at `path.key` (or `key` at the top) and []."""
    items = raw.get(key)
    if not isinstance(items, list):
        problems.add(f"{path}.{key}" if path else key, "must be a list")
        return []
    return items


def parse_object(item, path: str, allowed: set[str], problems: Problems) -> bool:
    """True when `item` is an object; every key outside `allowed` is a problem (unknown keys are never dropped)."""
    if not isinstance(item, dict):
        problems.add(path, "must be an object")
        return False
    for key in item:
        if key not in allowed:
            problems.add(path, f"unknown key '{key}'")
    return True


def parse_items(raw: dict, key: str, path: str, allowed: set[str],
                problems: Problems) -> Iterator[tuple[int, str, dict]]:
    """The objects of the list `raw[key]`, each as (index, its path, the object): a value that is not a list, an item
    that is not an object and an unknown key are problems (at `path.key[index]`, or `key[index]` at the top)."""
    for index, item in enumerate(parse_list(raw, key, path, problems)):
        at = f"{path}.{key}[{index}]" if path else f"{key}[{index}]"
        if parse_object(item, at, allowed, problems):
            yield index, at, item


def parse_text(item: dict, key: str, path: str, problems: Problems, *, limit: int, required: bool = False) -> str:
    """A string of at most `limit` characters, stripped ("" when absent and not required)."""
    value = item.get(key)
    if value is None:
        if required:
            problems.add(f"{path}.{key}", "is required")
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        problems.add(f"{path}.{key}", "must be a non-empty string" if required else "must be a string")
        return ""
    if len(value) > limit:
        problems.add(f"{path}.{key}", f"must be at most {limit} characters")
    return value.strip()


@dataclass(frozen=True)
class SectionContext:
    """What a section's checks may need to know about the patient being read."""

    today: date
    start_date: date | None  # day 0, None when the patient's own start date is unreadable
    birth_date: date | None


@dataclass(frozen=True)
class PatientSection:
    """Keys of a patient object stored by an app.

    parse(raw_patient, path, problems, context) -> planned value, or None when it reported problems;
    write(*, patient, planned, user, reason, today) -> number of records written (inside the import's transaction);
    export(patient) -> {key: value} for the keys that patient has (omitted when empty), in the keys' order;
    add(*, bulk, patient, planned, user, today) -> number of records, or None: the records built and checked as
    `write`'s services check them, added to the import's BulkWrite (`patient` is not written yet); None when
    these records need `write` after all (it is then called once the batch is written).
    """

    keys: tuple[str, ...]
    parse: Callable[..., object]
    write: Callable[..., int]
    export: Callable[..., dict] | None = None
    add: Callable[..., int | None] | None = None


@dataclass(frozen=True)
class StudySection:
    """Top-level keys of the document stored by an app (e.g. healthy controls).

    parse(document, problems, today) -> planned value or None; write(*, planned, user, reason, today) -> count;
    export() -> {key: value} (omitted when empty); add(*, bulk, planned, user, today) -> count or None, as a
    PatientSection's.
    """

    keys: tuple[str, ...]
    parse: Callable[..., object]
    write: Callable[..., int]
    export: Callable[..., dict] | None = None
    add: Callable[..., int | None] | None = None


# --- writing values back ------------------------------------------------------------------------------------------


def number(value: Decimal | int | None):
    """A stored number as JSON writes it: whole numbers and decimals as they are stored (12.0 stays 12.0).

    Decimal columns here have at most 10 digits, so the float's shortest form is the decimal's own digits."""
    if value is None or isinstance(value, int):
        return value
    return float(value)


def day_text(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def moment_text(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def entry(*pairs: tuple[str, object], keep: tuple[str, ...] = ()) -> dict:
    """An object of the format: the (key, value) pairs in order, leaving out empty optional values (None, "",
    False) unless the key is in `keep` (required keys)."""
    return {key: value for key, value in pairs if key in keep or not (value is None or value == "" or value is False)}


# --- writing many new records at once (the import) ----------------------------------------------------------------

# Columns whose Python values psycopg writes as Django would (no conversion needed on the way to COPY).
PLAIN_FIELDS = (models.CharField, models.TextField, models.DateField, models.TimeField, models.IntegerField,
                models.BooleanField, models.DecimalField, models.ForeignKey, models.AutoField, models.BigAutoField)


class BulkWrite:
    """New records written together inside the caller's transaction, each with its history row by `user` with
    `reason`, as the casebook write path writes one new record (version 1, fields and clean() checked).

    `add` checks a record and keeps it; `flush` writes them one model at a time, in the order each model was first
    added (a record is added after the records it refers to, so that order is the order of their dependencies),
    then their history rows: a fixed number of statements however many records (on PostgreSQL one SELECT of ids,
    one COPY per model, one statement for every history row). What the write path would ask the database first
    (the rows referred to exist, the unique keys) the caller has guaranteed: they are the rows written here, and the
    keys the plan checked; the database still checks both when the rows arrive (foreign keys, unique indexes).
    """

    def __init__(self, *, user, reason: str):
        self.user = user
        self.reason = reason or "created"
        self.records: dict[type[models.Model], list[models.Model]] = {}

    def add(self, record: models.Model, *, checked: frozenset[str] = frozenset()) -> models.Model:
        """Check `record` as the write path does (its fields, then clean()) and keep it; `checked`: fields whose
        every check (range, decimal places, choices) the caller has just made on the same values."""
        record.version = 1
        exclude = checked | {field.name for field in record._meta.concrete_fields if field.is_relation}
        errors = collected_errors((lambda: record.clean_fields(exclude=exclude), record.clean))
        if errors:
            raise ValidationError(errors)
        self.records.setdefault(type(record), []).append(record)
        return record

    def add_derived(self, record: models.Model) -> models.Model:
        """A row computed by code from values already checked (the protocol slots, dated from a checked start
        date): kept with its history row, its fields not checked again one row at a time."""
        record.version = 1
        self.records.setdefault(type(record), []).append(record)
        return record

    def flush(self) -> dict[type[models.Model], int]:
        """Write every record added; returns how many of each model. The batch is empty afterwards.

        On PostgreSQL: the ids of every model drawn from their sequences by one statement, each model's rows by one
        COPY, then every history row by one statement that copies them from the rows just written; elsewhere
        (`make run` on SQLite) one bulk_create each, and one for each model's history rows."""
        written = {}
        when = timezone.now()
        postgresql = connection.vendor == "postgresql"
        if postgresql and self.records:
            self._number(self.records)
        for model, records in self.records.items():
            if postgresql:
                self._copy(model, records, when)
            else:
                model._default_manager.bulk_create(records)
                self._history(model, records, when)
            written[model] = len(records)
        if postgresql and self.records:
            self._histories(self.records, when)
        self.records = {}
        return written

    def _histories(self, batches: dict[type[models.Model], list[models.Model]], when: datetime) -> None:
        """Every record's history row ("+", the user, the reason, the same moment), as django-simple-history writes
        them: the tracked columns copied by the database from the rows just written (they hold the same values),
        every model's in one statement (one INSERT ... SELECT each, as data-modifying WITH queries)."""
        quote = connection.ops.quote_name
        inserts, params = [], []
        for model, records in batches.items():
            history = model.history.model
            tracked = history.tracked_fields
            columns = [quote(history._meta.get_field(field.name).column) for field in tracked]
            marks = [quote(history._meta.get_field(name).column)
                     for name in ("history_date", "history_change_reason", "history_type", "history_user")]
            pk = quote(model._meta.pk.column)
            inserts.append(f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(columns + marks)}) "
                           f"SELECT {', '.join(quote(field.column) for field in tracked)}, %s, %s, '+', %s "
                           f"FROM {quote(model._meta.db_table)} "
                           f"WHERE {pk} = ANY(%s) ORDER BY {pk}")
            params += [when, self.reason, self.user.pk, [record.pk for record in records]]
        queries = ", ".join(f"written_{index} AS ({insert})" for index, insert in enumerate(inserts))
        with connection.cursor() as cursor:
            cursor.execute(f"WITH {queries} SELECT 1", params)

    @staticmethod
    def _number(batches: dict[type[models.Model], list[models.Model]]) -> None:
        """Give every record its id from its table's sequence: one SELECT for all the models."""
        quote = connection.ops.quote_name
        draws = [f"ARRAY(SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, {len(records)}))"
                 for records in batches.values()]
        params = [value for model in batches for value in (quote(model._meta.db_table), model._meta.pk.column)]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(draws)}", params)
            numbers = cursor.fetchone()
        for (model, records), ids in zip(batches.items(), numbers, strict=True):
            attname = model._meta.pk.attname
            for record, pk in zip(records, ids, strict=True):
                setattr(record, attname, pk)

    @staticmethod
    def _copy(model: type[models.Model], records: list[models.Model], when: datetime) -> None:
        """The records' rows, ids given, by one COPY: values as bulk_create writes them (auto_now dates set, to the
        batch's one moment; a reference to a record written before taken from it), Python values as psycopg
        writes them."""
        db = connections[DEFAULT_DB_ALIAS]  # looked up once, not through the proxy once a row
        fields = model._meta.concrete_fields
        stamped = [field.attname for field in fields
                   if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)]
        related = [field for field in fields if field.is_relation]
        converted = [index for index, field in enumerate(fields) if not isinstance(field, PLAIN_FIELDS)]
        attnames = [field.attname for field in fields]
        quote = db.ops.quote_name
        statement = (f"COPY {quote(model._meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "
                     f"FROM STDIN")
        with db.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for record in records:
                for attname in stamped:
                    setattr(record, attname, when)
                for field in related:
                    if getattr(record, field.attname) is None and field.is_cached(record):
                        target = field.get_cached_value(record)
                        if target is not None:
                            setattr(record, field.attname, target.pk)
                row = [getattr(record, attname) for attname in attnames]
                for index in converted:
                    row[index] = fields[index].get_db_prep_save(row[index], db)
                copy.write_row(row)
                record._state.adding = False
                record._state.db = db.alias

    def _history(self, model: type[models.Model], records: list[models.Model], when: datetime) -> None:
        """The records' history rows ("+", the user, the reason, the same moment) by one bulk INSERT, as
        django-simple-history writes them (`make run` on SQLite; PostgreSQL copies them: _histories)."""
        history = model.history.model
        attnames = [history._meta.get_field(field.name).attname for field in history.tracked_fields]
        history.objects.bulk_create([
            history(**{attname: getattr(record, attname) for attname in attnames}, history_date=when,
                    history_change_reason=self.reason, history_type="+", history_user_id=self.user.pk)
            for record in records])
