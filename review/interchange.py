"""The interchange section of signatures (an addition to SPEC §6; see casebook/interchange.py).

`signatures`: [{"visit_date" or "up_to", "signed_by", "signed_at"} + optional "meaning", "unlocked_at",
"unlock_reason"]: a visit's signature names the visit by its date, a casebook's the date it is signed up to;
times are UTC (`2026-05-04T09:30:00Z`). Imported last for each patient: from then on they lock what they cover.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from casebook.interchange import (
    ImportRefused,
    PatientSection,
    Problems,
    SectionContext,
    day_text,
    entry,
    moment_text,
    parse_date,
    parse_items,
    parse_text,
)
from casebook.models import MEANING, Signature
from itp_trial.clock import study_date

from .services import signature_restore

SIGNATURE_KEYS = {"visit_date", "up_to", "signed_by", "signed_at", "meaning", "unlocked_at", "unlock_reason"}
MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


@dataclass(frozen=True)
class PlannedSignature:
    path: str
    visit_date: date | None
    up_to: date | None
    signed_by: str
    signed_at: datetime
    meaning: str
    unlocked_at: datetime | None
    unlock_reason: str


def _moment(item: dict, key: str, path: str, problems: Problems, *, required: bool) -> datetime | None:
    value = item.get(key)
    if value is None:
        if required:
            problems.add(f"{path}.{key}", "is required")
        return None
    if not isinstance(value, str) or not MOMENT.fullmatch(value):
        problems.add(f"{path}.{key}", "must be a UTC time written YYYY-MM-DDTHH:MM:SSZ")
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        problems.add(f"{path}.{key}", f"'{value}' is not a time")
        return None


def parse_signatures(raw: dict, path: str, problems: Problems, context: SectionContext) -> list | None:
    before = len(problems.items)
    planned = []
    for _, at, item in parse_items(raw, "signatures", path, SIGNATURE_KEYS, problems):
        visit_date = parse_date(item.get("visit_date"), f"{at}.visit_date", problems, required=False)
        up_to = parse_date(item.get("up_to"), f"{at}.up_to", problems, required=False)
        if ("visit_date" in item) == ("up_to" in item):
            problems.add(at, "give either visit_date (a visit's signature) or up_to (a casebook's)")
        signed_by = parse_text(item, "signed_by", at, problems, limit=150, required=True)
        meaning = parse_text(item, "meaning", at, problems, limit=60) or MEANING
        signed_at = _moment(item, "signed_at", at, problems, required=True)
        unlocked_at = _moment(item, "unlocked_at", at, problems, required=False)
        unlock_reason = parse_text(item, "unlock_reason", at, problems, limit=250, required=unlocked_at is not None)
        if "unlock_reason" in item and unlocked_at is None:
            problems.add(f"{at}.unlock_reason", "is given without unlocked_at")
        if signed_at is not None and unlocked_at is not None and unlocked_at < signed_at:
            problems.add(f"{at}.unlocked_at", "cannot be before signed_at")
        if signed_at is not None and study_date(signed_at) > context.today:
            problems.add(f"{at}.signed_at", "cannot be in the future")
        if signed_at is not None and signed_by and (visit_date is None) != (up_to is None):
            planned.append(PlannedSignature(at, visit_date, up_to, signed_by, signed_at, meaning, unlocked_at,
                                            unlock_reason))
    return planned if len(problems.items) == before else None


def write_signatures(*, patient, planned: list[PlannedSignature], user, reason: str, today: date) -> int:
    refused = []
    for signature in planned:
        visit = None
        if signature.visit_date is not None:
            visit = patient.visits.filter(visit_date=signature.visit_date).order_by("id").first()
            if visit is None:
                refused.append(f"{signature.path}.visit_date: {patient.study_id} has no visit on "
                               f"{signature.visit_date}")
                continue
        signature_restore(patient=patient, user=user, signer_name=signature.signed_by, signed_at=signature.signed_at,
                          meaning=signature.meaning, visit=visit, up_to=signature.up_to,
                          voided_at=signature.unlocked_at, void_reason=signature.unlock_reason, reason=reason)
    if refused:
        raise ImportRefused(refused)
    return len(planned)


def export_signatures(patient) -> dict:
    signatures = [
        entry(("visit_date", day_text(s.visit.visit_date) if s.visit_id else None), ("up_to", day_text(s.up_to)),
              ("signed_by", s.signer_name), ("signed_at", moment_text(s.signed_at)),
              ("meaning", "" if s.meaning == MEANING else s.meaning), ("unlocked_at", moment_text(s.voided_at)),
              ("unlock_reason", s.void_reason))
        for s in Signature.objects.filter(patient=patient).select_related("visit").order_by("signed_at", "id")
    ]
    return {"signatures": signatures} if signatures else {}


SIGNATURE_SECTION = PatientSection(keys=("signatures",), parse=parse_signatures, write=write_signatures,
                                   export=export_signatures)
