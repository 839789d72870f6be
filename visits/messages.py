"""The words of the visits app's problem codes (visits.validation), in one place: (phrase, sentence) per code.

The phrase reads after a field's name or a JSON path, the sentence stands alone next to a form's field
(see itp_trial.validation). Dates are ISO and counts plain numbers in every language.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from itp_trial.validation import Problem, register, shown

from .schedule import PROTOCOL_SCHEDULE, UNSCHEDULED

WORDINGS = {
    "visit_date.future": (_("cannot be in the future (today is %(today)s)"),
                          _("Cannot be in the future (today is %(today)s).")),
    "visit_date.baseline_after_day0": (
        _("the baseline count must be on or before day 0 (%(day0)s)"),
        _("The baseline count must be on or before day 0 (%(day0)s).")),
    "visit_date.baseline_window": (
        _("the baseline count must be within the baseline window, %(days)s days before day 0 to day 0 "
          "(%(earliest)s to %(day0)s)"),
        _("The baseline count must be within the baseline window, %(days)s days before day 0 to day 0 "
          "(%(earliest)s to %(day0)s).")),
    "visit_date.before_day0": (_("cannot be before day 0, the first sirolimus dose (%(day0)s)"),
                               _("Cannot be before day 0, the first sirolimus dose (%(day0)s).")),
    "platelets.range": (_("must be between %(min)s and %(max)s"), _("Must be between %(min)s and %(max)s.")),
    "bleeding_grade.required": (_("is required (WHO grade 0–4; 0 = no bleeding)"),
                                _("Required: the WHO bleeding grade 0–4 (0 = no bleeding).")),
    "bleeding_grade.range": (_("must be a WHO grade from 0 to 4"), _("Must be a WHO grade from 0 to 4.")),
}
register(WORDINGS)


def window_warning(problem: Problem | None) -> str:
    """The out-of-window warning shown with a visit ('' inside its window)."""
    if problem is None:
        return ""
    params = {key: shown(value) for key, value in problem.params.items()}
    days = problem.params["days"]
    if problem.code == "window.before":
        text = ngettext("Outside the visit window (%(earliest)s to %(latest)s): %(days)s day before it.",
                        "Outside the visit window (%(earliest)s to %(latest)s): %(days)s days before it.", days)
    else:
        text = ngettext("Outside the visit window (%(earliest)s to %(latest)s): %(days)s day after it.",
                        "Outside the visit window (%(earliest)s to %(latest)s): %(days)s days after it.", days)
    return text % params


# The protocol's visits by name (visits.schedule declares them with their English labels and days).
VISIT_NAMES = {
    "baseline": _("Baseline"), "week1": _("Week 1"), "week2": _("Week 2"), "week3": _("Week 3"),
    "month1": _("Month 1"), "month2": _("Month 2"), "month3": _("Month 3"), "month4": _("Month 4"),
    "month5": _("Month 5"), "month6": _("Month 6"), "month7": _("Month 7"), "month8": _("Month 8"),
    "month9": _("Month 9"), "month10": _("Month 10"), "month11": _("Month 11"), "month12": _("Month 12"),
    UNSCHEDULED: _("Unscheduled visit"),
}


def visit_name(code: str) -> str:
    """A visit's name in the active language; a code the schedule does not know is shown as it is."""
    if code in VISIT_NAMES:
        return str(VISIT_NAMES[code])
    visit_def = PROTOCOL_SCHEDULE.get(code)
    return visit_def.label if visit_def else code


# What is due on the patient list: a topic of casebook.due ("visit", "labs", "trough") and its state.
DUE_LABELS = {
    ("visit", "due"): _("visit due"), ("visit", "overdue"): _("visit overdue"),
    ("labs", "due"): _("labs due"), ("labs", "overdue"): _("labs overdue"),
    ("trough", "due"): _("trough due"), ("trough", "overdue"): _("trough overdue"),
}


def due_label(topic: str, state: str) -> str:
    label = DUE_LABELS.get((topic, state))
    return str(label) if label is not None else f"{topic} {state}"


# A count's response category by name (locale/glossary.md: CR 完全反应, R 有效, NR 无效); the code stays as it is.
CATEGORY_NAMES = {
    "CR": pgettext_lazy("response category", "complete response"),
    "R": pgettext_lazy("response category", "response"),
    "NR": pgettext_lazy("response category", "no response"),
    "NE": pgettext_lazy("response category", "not evaluable"),
}


def category_name(code: str) -> str:
    name = CATEGORY_NAMES.get(code)
    return str(name) if name is not None else code
