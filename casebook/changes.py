"""What changed in a record since a version, field by field and by whom, read from its history rows.

This is what a refused stale save shows the user: the values they opened, the values now, who changed each
field last, when and why.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import models

from audit.history import display_value, field_label, hidden_fields, user_name


@dataclass(frozen=True)
class FieldChange:
    field: str  # the model field's name (forms use the same names)
    label: str
    seen: str  # as the user opened it
    now: str  # as it is now
    by: str  # who changed it last
    at: datetime
    reason: str


@dataclass(frozen=True)
class Save:
    """One save since the version the user saw."""

    version: int
    by: str
    at: datetime
    reason: str


@dataclass(frozen=True)
class ChangesSince:
    seen_version: int
    current_version: int
    fields: list[FieldChange]
    saves: list[Save]

    @property
    def by(self) -> list[str]:
        """Everyone who saved since, in order, each once."""
        return list(dict.fromkeys(save.by for save in self.saves))


def changes_since(record: models.Model, version: int) -> ChangesSince:
    """The saves after `version` and the fields whose value now differs from the one at `version`."""
    rows = list(record.history.select_related("history_user").order_by("history_date", "history_id"))
    base_index = max((i for i, row in enumerate(rows) if row.version <= version), default=0)
    later = rows[base_index + 1:]
    excluded = hidden_fields(type(record))
    last_change: dict[str, object] = {}
    for previous, row in zip(rows[base_index:], later, strict=False):
        for change in row.diff_against(previous, excluded_fields=excluded).changes:
            last_change[change.field] = row
    base, current = rows[base_index], (later[-1] if later else rows[base_index])
    fields = []
    for name, row in last_change.items():
        attname = type(record)._meta.get_field(name).attname
        seen, now = getattr(base, attname), getattr(current, attname)
        if seen == now:  # changed and changed back
            continue
        fields.append(FieldChange(field=name, label=field_label(current, name),
                                  seen=display_value(base, name, seen), now=display_value(current, name, now),
                                  by=user_name(row), at=row.history_date, reason=row.history_change_reason or ""))
    order = [f.name for f in type(record)._meta.fields]
    fields.sort(key=lambda change: order.index(change.field) if change.field in order else len(order))
    saves = [Save(version=row.version, by=user_name(row), at=row.history_date,
                  reason=row.history_change_reason or "") for row in later]
    return ChangesSince(seen_version=version, current_version=record.version, fields=fields, saves=saves)
