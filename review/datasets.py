"""The signatures dataset: which visit or casebook a physician signed, when, and whether it was unlocked since."""

from collections.abc import Iterator

from casebook.datasets import CHUNK, Column
from casebook.models import Signature

SIGNATURE_COLUMNS = (
    Column("study_id", "Study id", "text"),
    Column("covers", "What was signed", "text", allowed="visit, casebook"),
    Column("visit_date", "Date of the signed visit", "date"),
    Column("up_to", "Casebook signed up to", "date"),
    Column("signed_by", "Signed by", "text"),
    Column("signed_at", "Signed at", "datetime", "UTC"),
    Column("meaning", "Meaning of the signature", "text"),
    Column("unlocked_at", "Unlocked at", "datetime", "UTC"),
    Column("unlock_reason", "Reason for unlocking", "text"),
)


def signature_rows() -> Iterator[tuple]:
    signatures = Signature.objects.order_by("patient__study_id", "signed_at", "id").values_list(
        "patient__study_id", "visit__visit_date", "up_to", "signer_name", "signed_at", "meaning", "voided_at",
        "void_reason")
    for sid, visit_date, up_to, signer, signed_at, meaning, voided_at, reason in signatures.iterator(chunk_size=CHUNK):
        yield (sid, "visit" if visit_date else "casebook", visit_date, up_to, signer, signed_at, meaning, voided_at,
               reason or None)
