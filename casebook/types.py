"""What every clinical record type declares once, next to its model.

Each domain app lists its types in `<app>/casebook.py`; `itp_trial/casebook.py` joins them into one
explicit tuple, `RECORD_TYPES`. Shared machinery (the write path, history pages, CSV datasets, the
interchange export, panels, reminder sources) iterates that tuple instead of importing sibling apps.
A type declares what it has; the optional parts are None when the type has no such facet.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db import models


@dataclass(frozen=True)
class RecordType:
    key: str  # stable machine name: URLs, exports, audit ("dose", "trough", ...)
    model: type[models.Model]
    label: str  # one record, for people ("Sirolimus dose"); lazily translated
    label_plural: str
    # The patient a record belongs to (its id), or None for study-level records (healthy controls).
    patient: Callable[[models.Model], int | None]
    # The dates a casebook signature checks: a record dated within a signed casebook is locked.
    lock_dates: Callable[[models.Model], Iterable[date | None]]
    # True when a signature of this very record (a signed visit) also locks it.
    signed_individually: bool = False
    # Entry: the values dataclass a form produces, and the services that write it, called alike for every type:
    #   create(*, patient, values, user, reason="", today=None, token=None) -> record   (patient None: study level
    #       or a new patient)
    #   update(*, record, values, user, reason, version, today=None) -> record          (version: the one seen)
    # Both go through casebook.writes (lock, version, reason, history). None: the type is written only as a
    # consequence of another's service (e.g. an AE proposal by its lab value, a signature by review).
    input: type | None = None
    create: Callable | None = None
    update: Callable | None = None
    # Reading: CSV columns (the codebook) and rows; interchange section; patient-page panel;
    # due items for the reminder scan; contribution to the study report.
    columns: tuple = ()
    rows: Callable | None = None
    dataset: str = ""  # the CSV dataset's name (file name; default: the key)
    dataset_label: str = ""  # its title on the Exports page (default: label_plural)
    rows_sql: Callable | None = None  # optional PostgreSQL COPY form of rows() (the same bytes, faster)
    section: object | None = None
    panel: Callable | None = None
    due: Callable | None = None
    report: Callable | None = None
    # The patient's course as this type's records end it (the dose that stops the study drug, the off-study
    # entry): course(*, patient_ids=None) -> {patient id: {"stopped_on" | "off_study_on": date}}. Apps below
    # the one that records them read it through casebook.course.
    course: Callable | None = None

    def __str__(self) -> str:
        return self.key


def patient_of(record: models.Model) -> int | None:
    """The usual case: the record has a `patient` foreign key."""
    return record.patient_id


@dataclass(frozen=True)
class Dated:
    """Lock dates read from the record's own date fields; `fields` names them (the API filters on the first)."""

    fields: tuple[str, ...]

    def __call__(self, record: models.Model) -> list[date | None]:
        return [getattr(record, name) for name in self.fields]


def dated(*fields: str) -> Dated:
    """Lock dates read from the record's own date fields."""
    return Dated(fields)
