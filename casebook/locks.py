"""Which signature locks a record (pure: plain values in, no database).

A record is locked by an active signature of the record itself (a signed visit), or by an active casebook
signature up to a date on or after any of the record's declared lock dates. The write path refuses a locked
write (old and new dates are both checked); the patient page shows Edit only where this says "not locked".
"""

from collections.abc import Iterable
from datetime import date
from typing import Protocol


class SignatureLike(Protocol):
    visit_id: int | None
    up_to: date | None
    voided_at: object


def covered(dates: Iterable[date | None], up_to: date) -> bool:
    """True when a casebook signed up to `up_to` covers a record with these lock dates."""
    return any(day is not None and day <= up_to for day in dates)


def lock_for(*, dates: Iterable[date | None], signatures: Iterable[SignatureLike],
             signed_id: int | None = None):
    """The first active signature locking a record with these lock `dates`; `signed_id` is the record's own id
    when a signature of the record itself also locks it (visits), else None."""
    dates = list(dates)
    for signature in signatures:
        if signature.voided_at is not None:
            continue
        if signed_id is not None and signature.visit_id == signed_id:
            return signature
        if signature.up_to is not None and covered(dates, signature.up_to):
            return signature
    return None
