"""Which signature locks a record (pure)."""

from collections.abc import Iterable
from datetime import date
from typing import Protocol


class SignatureLike(Protocol):
    visit_id: int | None
    up_to: date | None
    voided_at: object


def lock_for(*, visit_id: int | None, visit_date: date, signatures: Iterable[SignatureLike]):
    """The first active signature covering a record dated `visit_date`: the visit's own signature (when
    `visit_id` is given), or a casebook signed up to that date or later."""
    for signature in signatures:
        if signature.voided_at is not None:
            continue
        if visit_id is not None and signature.visit_id == visit_id:
            return signature
        if signature.up_to is not None and visit_date <= signature.up_to:
            return signature
    return None


def lock_message(signature) -> str:
    return (f"Locked: {signature.meaning} by {signature.signer_name} on "
            f"{signature.signed_at:%Y-%m-%d %H:%M} UTC. A data manager must unlock it (with a reason) before "
            "it can be changed.")
