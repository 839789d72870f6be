"""CSV datasets and their codebooks, declared by each record type and built here for every one of them.

A record type names its dataset (`dataset`), its columns (the codebook) and a `rows()` generator yielding plain
Python values in column order; `dataset_of` turns the declaration into a Dataset the exports stream. Rows are read
in chunks whatever the study's size. No dataset holds names, phone numbers or birth dates (WITHHELD_FIELDS).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .types import RecordType

CHUNK = 5000
# Values no dataset shows, whatever the model: a model's PERSONAL_FIELDS and these (patients carry their age).
WITHHELD_FIELDS = frozenset({"birth_date"})


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    kind: str  # text, integer, decimal, date, datetime, boolean
    unit: str = ""
    allowed: str = ""


@dataclass(frozen=True)
class Dataset:
    name: str
    label: str
    columns: tuple[Column, ...]
    rows: Callable[[], Iterator[tuple]]
    count: Callable[[], int]
    copy_sql: Callable[[], str] | None = None  # PostgreSQL: the same rows as CSV through COPY
    count_unit: str = "rows"


def dataset_of(record_type: RecordType) -> Dataset:
    """The declared type's dataset: one row per record, counted by its model."""
    manager = record_type.model._default_manager
    return Dataset(
        name=record_type.dataset or record_type.key,
        label=str(record_type.dataset_label or record_type.label_plural),
        columns=record_type.columns,
        rows=record_type.rows,
        count=manager.count,
        copy_sql=record_type.rows_sql,
    )


def withheld(model) -> set[str]:
    """Field names of `model` that no export shows (identifying values)."""
    return set(WITHHELD_FIELDS) | set(getattr(model, "PERSONAL_FIELDS", ()))


def day(on, day0) -> int | None:
    """Days since day 0 (None when either date is missing)."""
    return None if on is None or day0 is None else (on - day0).days


def boolean_column(name: str, label: str) -> Column:
    return Column(name, label, "boolean", allowed="true, false")
