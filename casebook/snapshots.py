"""What a physician saw before signing: the (type, id, version) of every record the signature will lock.

The sign page embeds the snapshot (signed with the site's key, so it cannot be edited in the browser); the sign
service takes it again under the patient lock and refuses when anything differs, naming each record that
changed, appeared or moved out of the signed period since the page was opened.
"""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .changes import ChangesSince, changes_since
from .locks import covered
from .registry import declaration_by_key
from .selectors import patient_records
from .types import RecordType

SALT = "casebook.snapshot"

Entry = tuple[str, int, int]  # (record type key, id, version)


@dataclass(frozen=True)
class Snapshot:
    up_to: date | None
    entries: tuple[Entry, ...]

    def digest(self) -> str:
        """A fingerprint of the versions signed, kept on the signature."""
        text = "\n".join(f"{key}:{pk}:{version}" for key, pk, version in self.entries)
        return hashlib.sha256(f"{self.up_to}\n{text}".encode()).hexdigest()

    def token(self) -> str:
        return signing.dumps({"up_to": self.up_to.isoformat() if self.up_to else None,
                              "entries": [list(entry) for entry in self.entries]}, salt=SALT, compress=True)

    @classmethod
    def from_token(cls, token: str) -> "Snapshot":
        try:
            data = signing.loads(token, salt=SALT)
        except signing.BadSignature:
            raise ValidationError(_("The page was not what the server sent; open it again."),
                                  code="bad_snapshot") from None
        up_to = date.fromisoformat(data["up_to"]) if data["up_to"] else None
        return cls(up_to=up_to, entries=tuple((key, pk, version) for key, pk, version in data["entries"]))


@dataclass(frozen=True)
class CasebookContent:
    """The records a casebook signature up to `up_to` covers, grouped by type, and their snapshot."""

    snapshot: Snapshot
    groups: list[tuple[RecordType, list[models.Model]]]

    def record(self, key: str, pk: int) -> tuple[RecordType, models.Model] | None:
        for declaration, records in self.groups:
            if declaration.key == key:
                found = next((r for r in records if r.pk == pk), None)
                return (declaration, found) if found is not None else None
        return None


def casebook_content(*, patient_id: int, up_to: date) -> CasebookContent:
    """Every record of the patient that a casebook signed up to `up_to` locks (its declared dates)."""
    groups = []
    for declaration, records in patient_records(patient_id=patient_id):
        inside = [r for r in records if covered(declaration.lock_dates(r), up_to)]
        if inside:
            groups.append((declaration, inside))
    entries = sorted((d.key, r.pk, r.version) for d, records in groups for r in records)
    return CasebookContent(snapshot=Snapshot(up_to=up_to, entries=tuple(entries)), groups=groups)


@dataclass(frozen=True)
class Difference:
    kind: str  # "changed", "new", "gone"
    label: str  # the type's label
    record: str  # the record, as people name it
    changes: ChangesSince | None = None


class StaleCasebook(ValidationError):
    """The casebook changed since the sign page was opened: nothing is signed."""

    def __init__(self, differences: list[Difference]):
        self.differences = differences
        names = "; ".join(f"{d.label} {d.record}" for d in differences)
        super().__init__(_("Nothing was signed: the casebook changed since you opened this page (%(records)s). "
                           "Review it below and sign again."), code="stale_casebook", params={"records": names})


def differences(*, seen: Snapshot, now: CasebookContent) -> list[Difference]:
    """Records changed, added to or gone from the signed period since `seen` was taken."""
    before = {(key, pk): version for key, pk, version in seen.entries}
    after = {(key, pk): version for key, pk, version in now.snapshot.entries}
    found = []
    for (key, pk), version in sorted(after.items()):
        declaration, record = now.record(key, pk)
        if (key, pk) not in before:
            found.append(Difference("new", str(declaration.label), str(record)))
        elif before[(key, pk)] != version:
            found.append(Difference("changed", str(declaration.label), str(record),
                                    changes_since(record, before[(key, pk)])))
    for key, pk in sorted(set(before) - set(after)):
        declaration = declaration_by_key(key)
        record = declaration.model._default_manager.filter(pk=pk).first()
        found.append(Difference("gone", str(declaration.label), str(record) if record else f"#{pk}"))
    return found
