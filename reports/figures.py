"""The paper's Figures 1 and 2, drawn on the server as SVG with matplotlib (Agg, no display, no pyplot state).

Figure 1: each patient's platelet count at the protocol timepoints (baseline to month 6).
Figure 2: the median platelet count per timepoint with its interquartile range (25th–75th percentile, linear
interpolation), n under each timepoint.
The data for both come from `figure_data` (pure); the same numbers are printed in a table beside the figure.
"""

import io
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from django.utils.translation import gettext as _

from .statistics import quartiles
from .tables import VisitRow

FONT_CANDIDATES = ("DejaVu Sans", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Droid Sans Fallback")
RESPONSE_LINES = ((30, "30"), (100, "100"))  # the response thresholds, drawn as dashed lines
WIDTH, HEIGHT = 8.0, 4.4  # inches
_DRAWING = threading.Lock()  # matplotlib's rc_context changes process-wide settings while a figure is drawn


@dataclass(frozen=True)
class Course:
    study_id: str
    points: tuple[tuple[int, float], ...]  # (index of the timepoint, platelets)


@dataclass(frozen=True)
class TimepointSummary:
    visit: str
    n: int
    q1: float | None
    median: float | None
    q3: float | None


def patient_courses(rows: Iterable[VisitRow], *, codes: Sequence[str], study_ids: dict[int, str]) -> list[Course]:
    """Each patient's counts at `codes` (in that order), by study id."""
    position = {code: i for i, code in enumerate(codes)}
    found: dict[int, dict[int, float]] = {}
    for row in rows:
        if row.code in position:
            found.setdefault(row.patient_id, {})[position[row.code]] = float(row.platelets)
    return [Course(study_ids[pid], tuple(sorted(points.items())))
            for pid, points in sorted(found.items(), key=lambda item: study_ids[item[0]])]


def timepoint_summaries(rows: Iterable[VisitRow], *, codes: Sequence[str]) -> list[TimepointSummary]:
    values: dict[str, list[float]] = {code: [] for code in codes}
    for row in rows:
        if row.code in values:
            values[row.code].append(float(row.platelets))
    result = []
    for code in codes:
        q = quartiles(values[code])
        result.append(TimepointSummary(code, len(values[code]), *(q if q else (None, None, None))))
    return result


CJK_FONTS = FONT_CANDIDATES[1:]  # the ones with Chinese glyphs


@cache
def _fonts() -> tuple[str, ...]:
    from matplotlib import font_manager

    return fonts_of(font_manager.fontManager)


def fonts_of(manager) -> tuple[str, ...]:
    """The candidate fonts `manager` knows. matplotlib keeps its font list in a cache file written the first time
    it runs: a Chinese font installed after that (fonts-noto-cjk on a running machine) is not in it, and every
    Chinese label would be drawn as empty boxes. So when the list has no Chinese font, the system's fonts that it
    lacks are added before choosing."""
    if not _known(manager) & set(CJK_FONTS):
        from matplotlib import font_manager

        listed = {font.fname for font in manager.ttflist}
        for path in font_manager.findSystemFonts():
            if path not in listed:
                try:
                    manager.addfont(path)
                except (OSError, RuntimeError, ValueError):  # a file FreeType cannot read: not a usable font
                    continue
    known = _known(manager)
    return tuple(name for name in FONT_CANDIDATES if name in known) or ("sans-serif",)


def _known(manager) -> set[str]:
    return {font.name for font in manager.ttflist}


def _draw(paint) -> str:
    """An SVG document of WIDTH × HEIGHT inches painted by `paint(axes)`; text as paths, no timestamps."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    style = {"font.family": list(_fonts()), "font.size": 9, "svg.fonttype": "path", "svg.hashsalt": "itp-trial",
             "axes.spines.top": False, "axes.spines.right": False}
    with _DRAWING, matplotlib.rc_context(style):
        figure = Figure(figsize=(WIDTH, HEIGHT), layout="constrained")
        axes = figure.add_subplot()
        paint(figure, axes)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def _timepoint_axis(axes, labels: Sequence[str]) -> None:
    axes.set_xticks(range(len(labels)), labels)
    axes.set_xlim(-0.4, len(labels) - 0.6)
    axes.set_ylabel(_("Platelet count (×10⁹/L)"))
    for value, text in RESPONSE_LINES:
        axes.axhline(value, color="#6c757d", linewidth=0.8, linestyle="--", zorder=0)
        axes.annotate(text, (1, value), xycoords=("axes fraction", "data"), xytext=(2, 0),
                      textcoords="offset points", va="center", fontsize=7, color="#6c757d")
    axes.set_ylim(bottom=0)


def _empty(axes) -> None:
    axes.text(0.5, 0.5, _("No platelet counts recorded yet."), ha="center", va="center", transform=axes.transAxes)
    axes.set_axis_off()


def figure1_svg(*, courses: Sequence[Course], labels: Sequence[str]) -> str:
    """Figure 1: one line per patient across the timepoints (gaps where a visit is missing are bridged)."""
    def paint(figure, axes):
        if not courses:
            return _empty(axes)
        from matplotlib import colormaps

        palette = colormaps["tab20"]
        for i, course in enumerate(courses):
            xs = [x for x, _y in course.points]
            ys = [y for _x, y in course.points]
            axes.plot(xs, ys, marker="o", markersize=3, linewidth=1.1, color=palette(i % 20), label=course.study_id,
                      gid=f"patient-{course.study_id}")
        _timepoint_axis(axes, labels)
        if len(courses) <= 30:
            axes.legend(loc="upper left", bbox_to_anchor=(1.04, 1), fontsize=7, frameon=False,
                        ncols=1 if len(courses) <= 16 else 2, handlelength=1.5)

    return _draw(paint)


def figure2_svg(*, summaries: Sequence[TimepointSummary], labels: Sequence[str]) -> str:
    """Figure 2: median with the interquartile range as error bars; n under each timepoint."""
    def paint(figure, axes):
        shown = [(i, s) for i, s in enumerate(summaries) if s.median is not None]
        if not shown:
            return _empty(axes)
        xs = [i for i, _s in shown]
        medians = [s.median for _i, s in shown]
        below = [s.median - s.q1 for _i, s in shown]
        above = [s.q3 - s.median for _i, s in shown]
        bars = axes.errorbar(xs, medians, yerr=[below, above], fmt="o-", color="#0d6efd", ecolor="#0d6efd",
                             elinewidth=1, capsize=4, markersize=5, linewidth=1.4, label=_("Median (IQR)"))
        bars.lines[0].set_gid("medians")
        bars.lines[2][0].set_gid("interquartile-ranges")
        _timepoint_axis(axes, [f"{label}\nn={s.n}" for label, s in zip(labels, summaries, strict=True)])
        axes.legend(loc="upper left", fontsize=8, frameon=False)

    return _draw(paint)
