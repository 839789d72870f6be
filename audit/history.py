"""Read a record's history as rows a person can follow: who, when, field, old -> new, reason."""

from dataclasses import dataclass
from datetime import datetime

from django.db import models

HIDDEN_FIELDS = {"created_at", "modified_at", "version"}


def hidden_fields(model) -> set[str]:
    """Fields left out of a history: timestamps, and values the model declares as derived (recomputed)."""
    return HIDDEN_FIELDS | set(getattr(model, "DERIVED_FIELDS", ()))


@dataclass(frozen=True)
class HistoryRow:
    when: datetime
    who: str
    action: str
    field: str
    old: str
    new: str
    reason: str


def display_value(record, field_name: str, value) -> str:
    """A stored value as people read it (choices by label, related rows by name, yes/no)."""
    if value is None or value == "":
        return "—"
    field = record.instance_type._meta.get_field(field_name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def field_label(record, field_name: str) -> str:
    return str(record.instance_type._meta.get_field(field_name).verbose_name)


def user_name(record) -> str:
    """Who wrote a history row."""
    user = record.history_user
    if user is None:
        return "system"
    return user.get_full_name() or user.get_username()


def history_rows(instance: models.Model) -> list[HistoryRow]:
    """Every change to `instance`, newest first, one row per changed field."""
    records = list(instance.history.select_related("history_user").order_by("history_date", "history_id"))
    rows: list[HistoryRow] = []
    previous = None
    for record in records:
        reason = record.history_change_reason or ""
        if previous is None or record.history_type == "+":
            rows.append(HistoryRow(record.history_date, user_name(record), "created", "", "", "", reason))
        else:
            delta = record.diff_against(previous, excluded_fields=hidden_fields(record.instance_type))
            for change in delta.changes:
                rows.append(
                    HistoryRow(
                        record.history_date,
                        user_name(record),
                        "changed",
                        field_label(record, change.field),
                        display_value(record, change.field, change.old),
                        display_value(record, change.field, change.new),
                        reason,
                    )
                )
        previous = record
    rows.reverse()
    return rows
