"""Automatic queries: the rules the app already has, turned into causes a query is raised for.

Each rule reads its records and yields one Finding per record that breaks it; a finding's `cause` is a stable key
(rule, record type, id), so raising is idempotent and a query closes itself when its cause is gone. The list:

- visit_window:     a protocol visit saved outside its window (Visit.out_of_window_days ≠ 0)
- washout:          a recent second-line therapy acknowledged at enrolment (washout warning acknowledged)
- platelets_high:   a platelet count above 1,000 ×10⁹/L (accepted, but implausible in ITP)
- trough_high:      a sirolimus trough above 50 ng/mL
- dose_range:       a dose outside the protocol's range, saved with a reason
- bleeding_missing: a visit without a WHO bleeding grade (nor an imported yes/no)
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from dosing.models import DoseChange, Trough
from patients.models import Eligibility
from visits.models import Visit

PLATELETS_IMPLAUSIBLE = Decimal(1000)
TROUGH_IMPLAUSIBLE = Decimal(50)


@dataclass(frozen=True)
class Rule:
    code: str
    record_type: str
    field: str
    question: str  # the system's question, in the thread


RULES = {rule.code: rule for rule in (
    Rule("visit_window", "visit", "visit_date",
         "The visit was saved outside its protocol window. Please confirm the date against the source."),
    Rule("washout", "eligibility", "washout_warning_acknowledged",
         "A second-line therapy stopped less than a month before sirolimus was acknowledged at enrolment. "
         "Please confirm the stop date and document the decision."),
    Rule("platelets_high", "visit", "platelets",
         f"A platelet count above {PLATELETS_IMPLAUSIBLE} ×10⁹/L is implausible. Please check it against the "
         "laboratory report."),
    Rule("trough_high", "trough", "ng_ml",
         f"A trough level above {TROUGH_IMPLAUSIBLE} ng/mL is implausible. Please check the sample and the unit."),
    Rule("dose_range", "dose", "mg_per_day",
         "The dose is outside the protocol's range (saved with a reason). Please confirm it against the "
         "prescription."),
    Rule("bleeding_missing", "visit", "bleeding_grade",
         "The WHO bleeding grade is missing. Please enter it from the source."),
)}


@dataclass(frozen=True)
class Finding:
    rule: Rule
    record_id: int
    patient_id: int | None

    @property
    def cause(self) -> str:
        return f"{self.rule.code}:{self.rule.record_type}:{self.record_id}"


def _rows(rule: str, queryset) -> Iterator[Finding]:
    for pk, patient_id in queryset.values_list("pk", "patient_id").iterator(chunk_size=2000):
        yield Finding(RULES[rule], pk, patient_id)


def findings(*, patient_ids: Iterable[int] | None = None) -> Iterator[Finding]:
    """Every cause an automatic query stands for now (of some patients, or of all)."""
    def of(queryset):
        return queryset if patient_ids is None else queryset.filter(patient_id__in=list(patient_ids))

    yield from _rows("visit_window", of(Visit.objects.filter(slot__isnull=False).exclude(out_of_window_days=0)))
    yield from _rows("washout", of(Eligibility.objects.filter(washout_warning_acknowledged=True)))
    yield from _rows("platelets_high", of(Visit.objects.filter(platelets__gt=PLATELETS_IMPLAUSIBLE)))
    yield from _rows("trough_high", of(Trough.objects.filter(ng_ml__gt=TROUGH_IMPLAUSIBLE)))
    yield from _rows("dose_range", of(DoseChange.objects.exclude(out_of_range_reason="")))
    yield from _rows("bleeding_missing", of(Visit.objects.filter(Q(bleeding_grade__isnull=True)
                                                                 & Q(bleeding_reported__isnull=True))))
