"""Platelet response classification for sirolimus in immune thrombocytopenia (ITP).

Pure Python: no Django, no database. Platelet counts are in x10^9/L and are
compared as unrounded :class:`~decimal.Decimal` values.

Per-count categories (:func:`classify`)
---------------------------------------
* **CR** (complete response): platelets above the CR threshold (100) and no
  bleeding. The baseline is not needed.
* **R** (response): platelets above the R threshold (30), at least
  ``doubling_factor`` (2) x baseline, and no bleeding.
* **NR** (no response): anything else that can be decided, including any count
  with bleeding (WHO grade >= ``bleeding_grade_min``).
* **NE** (not evaluable): the category cannot be decided from the data
  recorded (bleeding not recorded, or baseline missing for a possible R).

"Above" means ``>`` under the study protocol (the paper's wording: P > 100,
P > 30) and ``>=`` under IWG (P >= 100, P >= 30). Doubling is always
``P >= 2 x baseline`` and is computed by multiplication, never by dividing by
the baseline (which may be 0).

Patient level (:func:`summarize`)
---------------------------------
* Only counts dated after day 0 are assessed; NE counts are ignored by the
  best-response, current-status, confirmation and relapse logic.
* A response is confirmed by two qualifying (R/CR) counts at least
  ``confirmation_days`` apart with no NR count between them; counts in a
  rescue-therapy window cannot be members of the pair, but an NR count in a
  rescue window still breaks the run.
* Loss of response is only looked for after a confirmed response (IWG):
  two counts at least ``relapse_confirmation_days`` apart meeting loss, with
  no count between them that does not. A confirmed CR is lost by two non-CR
  counts (P below the CR threshold or bleeding): to R it is a **downgrade**,
  to NR (both counts NR) a **relapse**. A confirmed R (or a CR that fell to
  R) is lost by two NR counts: a **relapse**. Each change of the confirmed
  level is a :class:`ResponseEvent` dated at the first count of its pair,
  kept whatever later counts do; after a relapse a new confirming pair starts
  a new cycle.
* Time to response (first R/CR count) and, beside it, time to confirmed
  response (IWG: day 0 to the first count of the confirming pair).

Decisions
---------
* [decision] "Loss" of response is the complement of qualifying under the
  protocol in use: an NR count is a loss. Under IWG this is exactly P < 100
  (for CR) / P < 30 (for R); under the study's strict wording a count of
  exactly 30 is not a response and therefore counts as a loss.
* [decision] A CR that falls to R is not a relapse: it is a downgrade event,
  and the R level it falls to is then watched for relapse from the downgrade's
  first count (CR, R, NR, NR loses CR on the R count and R on the first NR).
* [decision] A confirmed R that reaches a confirmed CR (a CR pair completed
  while at R) is upgraded; the CR level is watched from the CR pair's second
  count.
* [decision] With bleeding not recorded, a count is NR when it would be NR
  even with bleeding documented as absent (it cannot qualify whatever the
  bleeding); otherwise NE, because CR and R require documented absence of
  bleeding. In particular a count above the CR threshold with unrecorded
  bleeding is NE even when it is below 2 x baseline (it could be a CR).
* [decision] Without a baseline, a count that is not CR is NE, except that a
  count not above the R threshold is NR (it cannot qualify anyway).
* [decision] The confirming pair is the one whose first count is earliest;
  its second count is the earliest count that confirms that first one (this
  is also the earliest possible confirmation date).
* [decision] A confirmed CR needs a pair of non-rescue-window CR counts at
  least ``confirmation_days`` apart with every evaluable count between them a
  CR; a rescue-window CR between them does not break the run (it is still a
  CR), but cannot be a member of the pair.
* [decision] Rescue-window NR counts do count towards relapse (the rescue
  window only protects against attributing a *response* to sirolimus).
* [decision] "Dated after the second count" is strict: a count on the same
  date as the second count of the confirming pair is not used for a loss.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

__all__ = [
    "IWG_PROTOCOL",
    "RANK",
    "STUDY_PROTOCOL",
    "AssessedCount",
    "Category",
    "Count",
    "ResponseProtocol",
    "EventKind",
    "ResponseEvent",
    "Summary",
    "classify",
    "qualifies",
    "response_events",
    "summarize",
]


class Category(StrEnum):
    """Response category of a single platelet count (or of a patient)."""

    CR = "CR"
    R = "R"
    NR = "NR"
    NE = "NE"


RANK: dict[Category, int] = {
    Category.NE: -1,
    Category.NR: 0,
    Category.R: 1,
    Category.CR: 2,
}
"""Ordering of categories for the best response: CR > R > NR > NE."""


@dataclass(frozen=True)
class ResponseProtocol:
    """Thresholds and windows of a response definition.

    ``inclusive_thresholds`` False reads the thresholds strictly (P > 100,
    P > 30: the study paper's wording); True reads them as IWG does
    (P >= 100, P >= 30). The doubling rule is always P >= factor x baseline.
    """

    name: str = "study"
    cr_threshold: Decimal = Decimal(100)
    r_threshold: Decimal = Decimal(30)
    inclusive_thresholds: bool = False
    doubling_factor: Decimal = Decimal(2)
    bleeding_grade_min: int = 1
    confirmation_days: int = 7
    relapse_confirmation_days: int = 1
    rescue_window_days: int = 28


STUDY_PROTOCOL = ResponseProtocol()
IWG_PROTOCOL = ResponseProtocol(name="iwg", inclusive_thresholds=True)


def qualifies(category: Category) -> bool:
    """Return True for a qualifying response (CR or R)."""
    return category in (Category.CR, Category.R)


# --------------------------------------------------------------------------
# Per-count classification
# --------------------------------------------------------------------------


def _above(value: Decimal, threshold: Decimal, protocol: ResponseProtocol) -> bool:
    """``value >= threshold`` when thresholds are inclusive (IWG), else ``>``."""
    if protocol.inclusive_thresholds:
        return value >= threshold
    return value > threshold


def _is_bleeding(bleeding_grade: int, protocol: ResponseProtocol) -> bool:
    """Bleeding is a recorded WHO grade >= ``bleeding_grade_min`` (default 1)."""
    return bleeding_grade >= protocol.bleeding_grade_min


def _doubled(platelets: Decimal, baseline: Decimal, protocol: ResponseProtocol) -> bool:
    """Doubling rule: P >= factor x B (always inclusive; no division by B)."""
    return platelets >= protocol.doubling_factor * baseline


def _classify_without_bleeding(
    platelets: Decimal, baseline: Decimal | None, protocol: ResponseProtocol
) -> Category:
    """Category of a count when absence of bleeding is documented.

    * CR: above the CR threshold (baseline not needed).
    * NR: not above the R threshold (cannot qualify, baseline or not).
    * NE: no baseline, so R cannot be decided.
    * R: above the R threshold and P >= 2 x baseline; otherwise NR.
    """
    if _above(platelets, protocol.cr_threshold, protocol):
        return Category.CR
    if not _above(platelets, protocol.r_threshold, protocol):
        return Category.NR
    if baseline is None:
        return Category.NE
    if _doubled(platelets, baseline, protocol):
        return Category.R
    return Category.NR


def classify(
    *,
    platelets: Decimal,
    baseline: Decimal | None,
    bleeding_grade: int | None,
    protocol: ResponseProtocol = STUDY_PROTOCOL,
) -> Category:
    """Classify one post-treatment platelet count.

    * Bleeding not recorded (``bleeding_grade`` None): CR and R need
      documented absence of bleeding, so the count is NE -- unless it could
      not qualify whatever the bleeding, in which case it is NR.
    * Bleeding (grade >= ``bleeding_grade_min``): NR.
    * Otherwise see :func:`_classify_without_bleeding`.
    """
    category = _classify_without_bleeding(platelets, baseline, protocol)
    if bleeding_grade is None:
        return Category.NR if category is Category.NR else Category.NE
    if _is_bleeding(bleeding_grade, protocol):
        return Category.NR
    return category


# --------------------------------------------------------------------------
# Patient-level summary
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    """One recorded platelet count; ``key`` is passed through untouched.

    ``bleeding_grade`` None means bleeding was not recorded.
    """

    key: object
    date: date
    platelets: Decimal
    bleeding_grade: int | None


@dataclass(frozen=True)
class AssessedCount:
    """A count with its category and whether it lies in a rescue window."""

    count: Count
    category: Category
    in_rescue_window: bool

    @property
    def date(self) -> date:
        """Date of the underlying count."""
        return self.count.date


class EventKind(StrEnum):
    """A change of a patient's confirmed response level."""

    CONFIRMED = "confirmed"  # no confirmed response → R or CR
    UPGRADED = "upgraded"  # confirmed R → confirmed CR
    DOWNGRADE = "downgrade"  # confirmed CR lost to R (not a relapse)
    RELAPSE = "relapse"  # confirmed CR or R lost to NR


@dataclass(frozen=True)
class ResponseEvent:
    """One change of the confirmed level: dated at the first count of the pair that shows it
    (``confirmed_on``: the second count's date, when it became known)."""

    kind: EventKind
    from_level: Category | None
    to_level: Category
    date: date
    confirmed_on: date

    @property
    def is_loss(self) -> bool:
        return self.kind in (EventKind.DOWNGRADE, EventKind.RELAPSE)


@dataclass(frozen=True)
class Summary:
    """Patient-level response summary (see :func:`summarize`)."""

    assessed: tuple[AssessedCount, ...]
    best_response: Category
    current_status: Category
    confirmed: bool
    confirmed_category: Category | None
    response_date: date | None
    time_to_response_days: int | None
    relapsed: bool
    relapse_date: date | None
    downgraded: bool
    events: tuple[ResponseEvent, ...] = ()
    time_to_confirmed_response_days: int | None = None
    downgrade_date: date | None = None  # first loss of a confirmed CR to R
    cr_lost_date: date | None = None  # first loss of a confirmed CR (to R or to NR)


_Pair = tuple[AssessedCount, AssessedCount]


def _in_rescue_window(
    day: date, rescue_dates: Sequence[date], window_days: int
) -> bool:
    """A count on day d is in a rescue window if some rescue date r has
    r <= d <= r + ``rescue_window_days`` (both ends inclusive)."""
    window = timedelta(days=window_days)
    return any(r <= day <= r + window for r in rescue_dates)


def _assess(
    counts: Sequence[Count],
    baseline: Decimal | None,
    day0: date,
    rescue_dates: Sequence[date],
    protocol: ResponseProtocol,
) -> tuple[AssessedCount, ...]:
    """Classify the counts dated strictly after day 0, in (stable) date order.

    Counts on or before day 0 (screening/baseline) are not assessed.
    """
    post = sorted((c for c in counts if c.date > day0), key=lambda c: c.date)
    return tuple(
        AssessedCount(
            count=c,
            category=classify(
                platelets=c.platelets,
                baseline=baseline,
                bleeding_grade=c.bleeding_grade,
                protocol=protocol,
            ),
            in_rescue_window=_in_rescue_window(
                c.date, rescue_dates, protocol.rescue_window_days
            ),
        )
        for c in post
    )


def _best_response(evaluable: Sequence[AssessedCount]) -> Category:
    """Best category among evaluable counts (CR > R > NR); NE if none."""
    return max(
        (a.category for a in evaluable), key=RANK.__getitem__, default=Category.NE
    )


def _current_status(evaluable: Sequence[AssessedCount]) -> Category:
    """Category of the latest evaluable count; NE if there is none."""
    return evaluable[-1].category if evaluable else Category.NE


def _time_to_response(assessed: Sequence[AssessedCount], day0: date) -> int | None:
    """Days from day 0 to the first R/CR count not in a rescue window."""
    for a in assessed:
        if qualifies(a.category) and not a.in_rescue_window:
            return (a.date - day0).days
    return None


def _earliest_pair(
    evaluable: Sequence[AssessedCount],
    *,
    in_run: Callable[[AssessedCount], bool],
    eligible: Callable[[AssessedCount], bool],
    min_days: int,
) -> _Pair | None:
    """Earliest pair of eligible counts at least ``min_days`` apart in one run.

    A run is a maximal stretch of consecutive evaluable counts for which
    ``in_run`` holds; any other evaluable count breaks it. Members of the pair
    must also be ``eligible``. The pair returned has the earliest possible
    first count, and the earliest second count for that first count.
    """
    candidates: list[AssessedCount] = []
    for item in evaluable:
        if not in_run(item):
            candidates = []
            continue
        if not eligible(item):
            continue
        for first in candidates:
            if (item.date - first.date).days >= min_days:
                return first, item
        candidates.append(item)
    return None


def _confirming_pair(
    evaluable: Sequence[AssessedCount], protocol: ResponseProtocol
) -> _Pair | None:
    """Confirmation: two R/CR counts >= ``confirmation_days`` apart, no NR
    between them, neither member in a rescue window."""
    return _earliest_pair(
        evaluable,
        in_run=lambda a: qualifies(a.category),
        eligible=lambda a: not a.in_rescue_window,
        min_days=protocol.confirmation_days,
    )


def _cr_pair(
    evaluable: Sequence[AssessedCount], protocol: ResponseProtocol
) -> _Pair | None:
    """Confirmed CR: two non-rescue CR counts >= ``confirmation_days`` apart
    with every evaluable count between them CR."""
    return _earliest_pair(
        evaluable,
        in_run=lambda a: a.category is Category.CR,
        eligible=lambda a: not a.in_rescue_window,
        min_days=protocol.confirmation_days,
    )


def _loss_pair(
    evaluable: Sequence[AssessedCount], lost: Callable[[AssessedCount], bool], protocol: ResponseProtocol
) -> _Pair | None:
    """Two counts meeting loss >= ``relapse_confirmation_days`` apart, with no
    count between them that does not (rescue-window counts count)."""
    return _earliest_pair(
        evaluable, in_run=lost, eligible=lambda a: True, min_days=protocol.relapse_confirmation_days
    )


def _after(evaluable: Sequence[AssessedCount], since: date | None) -> list[AssessedCount]:
    return [a for a in evaluable if since is None or a.date > since]


def _first_to_complete(*pairs: _Pair | None) -> int | None:
    """Index of the pair whose second count comes first (the earlier listed wins a tie)."""
    found = [(p[1].date, i) for i, p in enumerate(pairs) if p is not None]
    return min(found)[1] if found else None


def response_events(
    evaluable: Sequence[AssessedCount], protocol: ResponseProtocol = STUDY_PROTOCOL
) -> tuple[ResponseEvent, ...]:
    """Every change of the confirmed level, in the order they became known (see the module doc)."""
    events: list[ResponseEvent] = []
    level: Category | None = None
    since: date | None = None  # losses are looked for among counts after this date
    level_start: date | None = None  # first count of the pair that set the level (an upgrade may start there)

    def event(kind: EventKind, to: Category, pair: _Pair) -> None:
        nonlocal level_start
        events.append(ResponseEvent(kind, level, to, pair[0].date, pair[1].date))
        level_start = pair[0].date

    while True:
        later = _after(evaluable, since)
        if level is None:
            confirming = _confirming_pair(later, protocol)
            if confirming is None:
                break
            cr = _cr_pair(later, protocol)
            if cr is not None and cr[1].date <= confirming[1].date and cr[0] is confirming[0]:
                event(EventKind.CONFIRMED, Category.CR, confirming)
                level, since = Category.CR, confirming[1].date
                continue
            event(EventKind.CONFIRMED, Category.R, confirming)
            level, since = Category.R, confirming[1].date
            if cr is not None and cr[1].date <= confirming[1].date:  # a later-starting CR pair, complete as well
                event(EventKind.UPGRADED, Category.CR, cr)
                level = Category.CR
        elif level is Category.R:
            up = _cr_pair([a for a in evaluable if a.date >= level_start], protocol)
            relapse = _loss_pair(later, lambda a: a.category is Category.NR, protocol)
            first = _first_to_complete(relapse, up)
            if first is None:
                break
            if first == 0:
                event(EventKind.RELAPSE, Category.NR, relapse)
                level, since = None, relapse[1].date
            else:
                event(EventKind.UPGRADED, Category.CR, up)
                level, since = Category.CR, up[1].date
        else:
            loss = _loss_pair(later, lambda a: a.category is not Category.CR, protocol)
            if loss is None:
                break
            if loss[0].category is Category.NR and loss[1].category is Category.NR:
                event(EventKind.RELAPSE, Category.NR, loss)
                level, since = None, loss[1].date
            else:
                event(EventKind.DOWNGRADE, Category.R, loss)
                level, since = Category.R, loss[0].date
    return tuple(events)


def summarize(
    *,
    counts: Sequence[Count],
    baseline: Decimal | None,
    day0: date,
    rescue_dates: Sequence[date] = (),
    protocol: ResponseProtocol = STUDY_PROTOCOL,
) -> Summary:
    """Summarise a patient's response from their platelet counts.

    * Assessed: counts dated after ``day0``, ordered by date (stable).
    * best_response: CR > R > NR among evaluable counts; NE if none.
    * current_status: category of the latest evaluable count; NE if none.
    * confirmed / response_date: earliest confirming pair (see
      :func:`_confirming_pair`); response_date is its first count's date.
    * confirmed_category: CR if a CR pair also confirms (see
      :func:`_cr_pair`), else R; None when not confirmed.
    * time_to_response_days: day 0 to the first non-rescue R/CR count;
      time_to_confirmed_response_days: day 0 to response_date (IWG).
    * events: every change of the confirmed level (:func:`response_events`);
      relapsed / relapse_date: the first relapse (CR or R lost to NR);
      downgraded / downgrade_date: the first CR lost to R; cr_lost_date: the
      first loss of a confirmed CR, to R or to NR.
    """
    assessed = _assess(counts, baseline, day0, rescue_dates, protocol)
    evaluable = [a for a in assessed if a.category is not Category.NE]
    current = _current_status(evaluable)

    confirming = _confirming_pair(evaluable, protocol)
    confirmed_category: Category | None = None
    if confirming is not None:
        confirmed_category = Category.CR if _cr_pair(evaluable, protocol) is not None else Category.R
    events = response_events(evaluable, protocol)
    relapse = next((e for e in events if e.kind is EventKind.RELAPSE), None)
    downgrade = next((e for e in events if e.kind is EventKind.DOWNGRADE), None)
    cr_lost = next((e for e in events if e.is_loss and e.from_level is Category.CR), None)

    return Summary(
        assessed=assessed,
        best_response=_best_response(evaluable),
        current_status=current,
        confirmed=confirming is not None,
        confirmed_category=confirmed_category,
        response_date=confirming[0].date if confirming else None,
        time_to_response_days=_time_to_response(assessed, day0),
        relapsed=relapse is not None,
        relapse_date=relapse.date if relapse else None,
        downgraded=downgrade is not None,
        events=events,
        time_to_confirmed_response_days=(confirming[0].date - day0).days if confirming else None,
        downgrade_date=downgrade.date if downgrade else None,
        cr_lost_date=cr_lost.date if cr_lost else None,
    )
