"""The export datasets: one for every declared record type (its app's `<app>/datasets.py`), plus the study-level
audit trail owned here. Rows are read in streams whatever the study's size.

Each dataset yields plain Python values in column order; reports/csvformat.py turns them into cells.
The visits dataset also has a PostgreSQL COPY form producing the same bytes much faster
(reports/tests/test_exports.py proves both forms agree). No dataset holds names, phone numbers or
birth dates: patients carry their age at start instead, and the audit trail says that a withheld value
changed without showing it.
"""

from collections.abc import Iterator

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from audit.history import hidden_fields
from audit.models import ClinicalRecord
from casebook.datasets import CHUNK, Column, Dataset, dataset_of, withheld
from casebook.registry import record_types, subject_model
from monitoring.exports import AUDITED_MODELS, QUERY_COLUMNS, query_message_count, query_message_rows

__all__ = ["CHUNK", "Column", "DATASETS", "Dataset", "audit_rows", "clinical_models"]

# --- audit ------------------------------------------------------------------------------------------------------

AUDIT_COLUMNS = (
    Column("model", _("Record type"), "text"),
    Column("record", _("Record id"), "integer"),
    Column("study_id", _("Study id"), "text"),
    Column("action", _("Action"), "text", allowed="created, changed"),
    Column("field", _("Field changed"), "text"),
    Column("old", _("Old value"), "text"),
    Column("new", _("New value"), "text"),
    Column("user", _("User"), "text"),
    Column("time_utc", _("Time"), "datetime", "UTC"),
    Column("reason", _("Reason for change"), "text"),
)


def clinical_models() -> list:
    return sorted((m for m in apps.get_models() if issubclass(m, ClinicalRecord)), key=lambda m: m._meta.label)


def audited_models() -> list:
    """The clinical records, then the monitoring rows about them (queries, their messages, verifications)."""
    return [*clinical_models(), *AUDITED_MODELS]


def audit_rows() -> Iterator[tuple]:
    subject = subject_model()
    study_ids = dict(subject.objects.values_list("id", "study_id"))
    for model in audited_models():
        never = set(getattr(model, "PERSONAL_FIELDS", ()))  # identifying and not needed: never named
        secret = withheld(model) - never  # named as changed, its values withheld (a birth date)
        fields = [f.attname for f in model._meta.concrete_fields if f.name not in hidden_fields(model) | never]
        patient_field = "id" if model is subject else "patient_id"
        history = model.history.model.objects.order_by("id", "history_date", "history_id").values_list(
            *fields, "history_type", "history_user__username", "history_date", "history_change_reason"
        )
        previous: tuple | None = None
        for record in history.iterator(chunk_size=CHUNK):
            values = dict(zip(fields, record[: len(fields)], strict=True))
            kind, username, when, reason = record[len(fields):]
            study_id = study_ids.get(values.get(patient_field))
            base = (model._meta.label, values["id"], study_id)
            if previous is None or previous[0] != values["id"] or kind == "+":
                yield (*base, "created", None, None, None, username, when, reason)
            else:
                for name in fields:
                    if values[name] != previous[1][name]:
                        old, new = (None, None) if name in secret else (previous[1][name], values[name])
                        yield (*base, "changed", name, _text(old), _text(new), username, when, reason)
            previous = (values["id"], values)


def audit_row_count() -> int:
    """The rows the audit CSV holds, counted as they are written (a history entry gives one row per field it
    changed, none when it changed nothing shown): the Exports page and the CSV agree."""
    return sum(1 for _ in audit_rows())


def _text(value) -> str | None:
    return None if value is None else str(value)


AUDIT = Dataset("audit", _("Audit trail"), AUDIT_COLUMNS, audit_rows, audit_row_count,
                count_unit=_("rows (one per created record and per changed field)"))

# Every declared record type's dataset, in the declarations' order, then the study-level ones.
DATASETS: dict[str, Dataset] = {
    d.name: d for d in (*(dataset_of(t) for t in record_types() if t.columns), AUDIT)
}

# --- account changes (the account audit, from accounts/) -------------------------------------------------------
from accounts.export import ACCOUNT_CHANGE_COLUMNS, account_change_count, account_change_rows  # noqa: E402

DATASETS["account_changes"] = Dataset("account_changes", _("Account changes"), tuple(
    Column(*column) for column in ACCOUNT_CHANGE_COLUMNS), account_change_rows, account_change_count)

# --- data queries (monitoring): one row per message, added to the list ------------------------------------------

DATASETS["queries"] = Dataset("queries", _("Data queries (one row per message)"),
                              tuple(Column(*column) for column in QUERY_COLUMNS), query_message_rows,
                              query_message_count, count_unit=_("messages"))
