"""How the study grid shows its data: each cell's class and short text, the column counts' words, the filter and
page links. The words are translated here once per page; the template only places them, one cell after another
(no template include per cell, no per-cell lookup)."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from monitoring.selectors import OpenCount
from visits.schedule import BASELINE, SlotStatus

from .study_grid import CATEGORIES, NO_CATEGORY, GridFilters, GridRow


def _status_words() -> dict[str, tuple[str, str]]:
    """Status → (cell class, short word) for the grid's narrow cells."""
    return {
        SlotStatus.UPCOMING: ("", "·"),
        SlotStatus.DUE: ("d", _("due")),
        SlotStatus.OVERDUE: ("o", _("overdue")),
        SlotStatus.MISSED: ("m", _("missed")),
        SlotStatus.NOT_PLANNED: ("np", _("not planned")),
        SlotStatus.OFF_STUDY: ("os", _("off study")),
        SlotStatus.DONE: ("dn", _("done")),
    }


def status_labels() -> dict[str, str]:
    """The statuses as the column counts and the legend name them."""
    return {
        SlotStatus.UPCOMING: _("upcoming"), SlotStatus.DUE: _("due"), SlotStatus.OVERDUE: _("overdue"),
        SlotStatus.MISSED: _("missed"), SlotStatus.NOT_PLANNED: _("not planned (sirolimus stopped)"),
        SlotStatus.OFF_STUDY: _("not done (off study)"), SlotStatus.DONE: _("done"),
    }


@dataclass(frozen=True)
class RowDisplay:
    study_id: str
    cells: list[tuple[str, str, int, str, int]]  # (class, text, open queries, "verified"/"changed"/"", columns)
    cells_html: str  # the row's visit cells, as the template places them
    now: str  # current response category ("" when none yet)
    taper: bool
    withdrawal_pending: bool
    open: OpenCount
    verified: int  # of the recorded protocol visits, verified against source at their current version
    changed: int  # changed since their verification
    recorded: int

    @property
    def verified_share(self) -> int | None:
        return round(100 * self.verified / self.recorded) if self.recorded else None


# Runs of these statuses share one cell (a young patient's visits to come, a stopped patient's follow-up visits):
# the page stays small and the row reads as a timeline.
MERGED = (SlotStatus.UPCOMING, SlotStatus.NOT_PLANNED, SlotStatus.OFF_STUDY)


def row_cells(cells, words: dict) -> list[tuple[str, str, int, str, int]]:
    """The cells of one row: (class, text, open queries, verification, columns spanned)."""
    shown: list[tuple[str, str, int, str, int]] = []
    merged_status = None
    for cell in cells:
        if cell.category:
            css, text = ("", words["BL"]) if cell.code == BASELINE else (cell.category, cell.category)
        else:
            css, text = words[cell.status]
        if not cell.category and cell.status in MERGED and not cell.queries and merged_status == cell.status:
            css, text, queries, sdv, span = shown[-1]
            shown[-1] = (css, text, queries, sdv, span + 1)
            continue
        merged_status = cell.status if not cell.category and not cell.queries else None
        shown.append((css, text, cell.queries, cell.sdv, 1))
    return shown


def cells_markup(cells: list[tuple[str, str, int, str, int]]) -> str:
    """The visit cells of a row as HTML, written here rather than by the template: 800 cells a page cost the template
    language more than the rest of the page. Compact on purpose: a short class, the text, the optional end tag
    left out; ?n open queries; ✓ verified, Δ changed since verification."""
    parts = []
    for css, text, queries, sdv, span in cells:
        attributes = (f" class={css}" if css else "") + (f" colspan={span}" if span > 1 else "")
        parts.append(f"<td{attributes}>{escape(text)}")
        if queries:
            parts.append(f'<b data-testid="cell-queries">?{queries}</b>')
        if sdv == "verified":
            parts.append('<i data-state="verified">✓</i>')
        elif sdv:
            parts.append('<i data-state="changed">Δ</i>')
    return mark_safe("".join(parts))  # noqa: S308 - classes and numbers are ours, the texts escaped


def grid_display(rows: list[GridRow], *, open_counts: dict[int, OpenCount]) -> list:
    words = {**_status_words(), "BL": pgettext("study grid cell: the baseline visit", "BL")}
    shown = []
    for row in rows:
        response = getattr(row.patient, "response", None)
        cells = row_cells(row.cells, words)
        shown.append(RowDisplay(
            study_id=row.patient.study_id, cells=cells, cells_html=cells_markup(cells),
            now=response.current_status if response else "", taper=row.nr_at_month3,
            withdrawal_pending=row.withdrawal_pending, open=open_counts.get(row.patient.pk, OpenCount()),
            verified=sum(1 for c in row.cells if c.sdv == "verified"),
            changed=sum(1 for c in row.cells if c.sdv == "changed"),
            recorded=sum(1 for c in row.cells if c.category)))
    return shown


def column_counts(columns: list[dict]) -> list[list[tuple[str, int]]]:
    """Each protocol visit's counts over the study, with the statuses in words (categories stay codes)."""
    labels = status_labels()
    return [[(labels.get(key, key), n) for key, n in column["counts"].items()] for column in columns]


def category_choices() -> list[tuple[str, str]]:
    return [("", _("Any")), *((c, c) for c in CATEGORIES), (NO_CATEGORY, _("No category yet"))]


def _url(params: dict[str, str]) -> str:
    return "?" + urlencode(params) if params else "?"


def quick_filters(filters: GridFilters) -> list[dict]:
    """The buttons the dashboard always had (each keeps the search and the other choices of the form)."""
    base = {key: value for key, value in filters.params().items() if key not in ("filter", "overdue")}
    buttons = [("responding", _("Responding (R or CR now)")),
               ("taper", _("No response at month 3: taper and stop per protocol")),
               ("withdrawal", _("Withdrawal pending (grade ≥ 3 adverse event)")),
               ("overdue", _("With an overdue or missed visit"))]
    return [{"label": label, "url": _url({**base, "filter": key}),
             "active": filters.quick == key or (key == "overdue" and filters.overdue)}
            for key, label in buttons]


def page_links(filters: GridFilters, page) -> dict:
    params = filters.params()
    return {
        "previous": _url({**params, "page": page.previous_page_number()}) if page.has_previous() else None,
        "next": _url({**params, "page": page.next_page_number()}) if page.has_next() else None,
        "first": _url(params) if page.number > 1 else None,
        "last": _url({**params, "page": page.paginator.num_pages}) if page.number < page.paginator.num_pages
        else None,
        "all": "?",
    }
