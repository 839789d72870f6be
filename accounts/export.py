"""The account audit as an export dataset: one row per account change (the codebook is ACCOUNT_CHANGE_COLUMNS:
name, label, kind, unit, allowed values)."""

from collections.abc import Iterator

from .models import AccountChange

ACCOUNT_CHANGE_COLUMNS = (
    ("changed_at", "When the change was made", "datetime", "UTC", ""),
    ("account", "Account (username)", "text", "", ""),
    ("change", "What changed", "text", "", ", ".join(AccountChange.Kind.values)),
    ("field", "Field changed", "text", "", "first_name, last_name, email, is_active, role, password"),
    ("old", "Value before", "text", "", "roles by label; activation as active or inactive; never a password"),
    ("new", "Value after", "text", "", ""),
    ("changed_by", "Changed by (username)", "text", "", ""),
    ("reason", "Reason for the change", "text", "", ""),
)


def account_change_rows() -> Iterator[tuple]:
    changes = AccountChange.objects.order_by("changed_at", "id").values_list(
        "changed_at", "account__username", "kind", "field", "old", "new", "changed_by__username", "reason")
    yield from changes.iterator(chunk_size=5000)


def account_change_count() -> int:
    return AccountChange.objects.count()
