"""The one place the dosing rules' codes become words, in the reader's language (gettext).

dosing.tdm returns codes with their values (Problem, Suggestion, DueCheck, CourseFlag); pages, form errors,
reminders and import problems word them here. Numbers stay numbers (fmt: no trailing zeros), dates stay ISO, and
the arithmetic of a suggested dose is shown as it was computed.
"""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from .drugs import CALCINEURIN, DRUGS_BY_CODE, INDUCER
from .tdm import (
    ADJUSTMENT,
    ADULT,
    AFTER_CHANGE,
    CHILD,
    HIGH,
    IN_RANGE,
    KEEP_DOSE,
    LOW,
    LOWEST_STEP,
    MAINTENANCE,
    NEW_DOSE,
    NO_DOSE,
    NO_LEVEL,
    NOT_A_TROUGH,
    REPEAT,
    REPEAT_AT_STEADY_STATE,
    SAME_DOSE,
    SIDE_EFFECT,
    START,
    STILL_RISING,
    STOP,
    TAPER,
    Arithmetic,
    CourseFlag,
    Problem,
    Suggestion,
    fmt,
)


def _day(value) -> str:
    """A date as ISO (YYYY-MM-DD) in every language; an ISO string stays as it is."""
    return value.isoformat() if isinstance(value, date) else str(value or "")


def _number(value) -> str:
    return fmt(value) if isinstance(value, (Decimal, int, float)) else str(value)


GROUPS = {ADULT: pgettext_lazy("age group, in a sentence", "adult"),
          CHILD: pgettext_lazy("age group, in a sentence", "child")}
PHASES = {START: pgettext_lazy("dose phase, in a sentence", "start"),
          MAINTENANCE: pgettext_lazy("dose phase, in a sentence", "maintenance"),
          ADJUSTMENT: pgettext_lazy("dose phase, in a sentence", "adjustment"),
          TAPER: pgettext_lazy("dose phase, in a sentence", "taper"),
          STOP: pgettext_lazy("dose phase, in a sentence", "stop")}
LEVELS = {LOW: pgettext_lazy("trough level", "low"), HIGH: pgettext_lazy("trough level", "high"),
          IN_RANGE: pgettext_lazy("trough level", "in range")}


def level_label(level: str) -> str:
    return str(LEVELS.get(level, level))


def mg_per_day(value) -> str:
    return _("%(mg)s mg/day") % {"mg": _number(value)}


def dose_range_text(low, high) -> str:
    return _("%(low)s–%(high)s mg/day") % {"low": _number(low), "high": _number(high)}


def problem_text(problem: Problem) -> str:
    """A rule's problem (dosing.tdm.Problem) in words."""
    p = {key: _day(value) if isinstance(value, date) else _number(value) if isinstance(value, Decimal) else value
         for key, value in problem.params.items()}
    code = problem.code
    if code == "phase.stop_not_zero":
        return _("A stop is recorded as 0 mg/day.")
    if code == "phase.zero_not_stop":
        return _("0 mg/day means sirolimus is stopped: choose the phase 'Stop' (or use Stop sirolimus).")
    if code == "dose.out_of_range":
        return _("%(mg)s mg/day is outside the %(group)s %(phase)s range (%(range)s).") % {
            "mg": p["mg"], "group": GROUPS.get(p["group"], p["group"]), "phase": PHASES.get(p["phase"], p["phase"]),
            "range": dose_range_text(p["low"], p["high"])}
    if code == "regimen.before_day0":
        return _("Overlap: a dose from %(first)s would start before day 0 (%(day0)s), the first sirolimus "
                 "dose.") % p
    if code == "regimen.gap_after_day0":
        return _("Gap: the regimen must begin with the day-0 dose on %(day0)s (first dose here: %(first)s). "
                 "Record the day-0 dose first.") % p
    if code == "regimen.same_day":
        return _("Overlap: another dose change already starts on %(date)s; one dose is in force per day. "
                 "Correct that change instead.") % p
    if code == "trough.not_a_trough":
        return _("Not a trough: drawn %(hours)s h after the last dose (a trough is %(low)s–%(high)s h after a "
                 "once-daily dose).") % p
    return code


def arithmetic_text(of: Suggestion | Arithmetic | None) -> str:
    """current mg × target / level = raw → rounded mg/day: numbers, as computed ("" when there is none)."""
    a = of.arithmetic if isinstance(of, Suggestion) else of
    if a is None:
        return ""
    return _("%(current)s mg × %(target)s / %(level)s = %(raw)s → %(rounded)s mg/day") % {
        "current": fmt(a.current), "target": fmt(a.target), "level": fmt(a.level), "raw": f"{a.raw:.2f}",
        "rounded": f"{a.rounded:.1f}"}


def suggestion_note(suggestion: Suggestion) -> str:
    """Why there is no suggested dose, or what to know about the one suggested ("" when nothing)."""
    kind, v = suggestion.kind, suggestion.values
    if kind == NO_LEVEL:
        return _("No suggestion: a level of 0 (or none) cannot scale the dose.")
    if kind == NOT_A_TROUGH:
        return _("No suggestion: not a trough sample; repeat the level just before a dose.")
    if kind == NO_DOSE:
        return _("No suggestion: no sirolimus dose in force on the sample date.")
    if kind == REPEAT_AT_STEADY_STATE:
        return ngettext(
            "Before steady state (%(days)s day on this dose, %(needed)s needed): no decision now; repeat the level "
            "from %(from)s to %(by)s.",
            "Before steady state (%(days)s days on this dose, %(needed)s needed): no decision now; repeat the level "
            "from %(from)s to %(by)s.", v["days"]) % {"days": v["days"], "needed": v["needed"],
                                                     "from": _day(v["repeat_from"]), "by": _day(v["repeat_by"])}
    if kind == KEEP_DOSE:
        return _("In target range: keep the dose.")
    if kind == SAME_DOSE:
        return _("Rounded, the suggestion equals the current dose: no change.")
    if kind == NEW_DOSE:
        notes = []
        for note in v.get("notes", ()):
            if note == STILL_RISING:
                notes.append(ngettext("before steady state (%(days)s day on this dose): the level will still rise",
                                      "before steady state (%(days)s days on this dose): the level will still rise",
                                      v["days"]) % {"days": v["days"]})
            elif note == LOWEST_STEP:
                notes.append(_("the lowest step"))
        return _("; ").join(notes)
    return ""


def due_text(kind: str, params: dict | None = None) -> str:
    """Why a trough level is due (dosing.tdm.DueCheck kind and params)."""
    p = params or {}
    if kind == "week_1":
        return _("week 1")
    if kind == "month_1":
        return _("month 1")
    if kind == AFTER_CHANGE:
        return _("%(from_day)s-%(to_day)s days after the dose change of %(changed_on)s") % p
    if kind == SIDE_EFFECT:
        return _("significant side effect of %(onset)s") % p
    if kind == REPEAT:
        return _("repeat at steady state (%(from_day)s-%(to_day)s days after the dose of %(dose_from)s; the level "
                 "of %(sampled)s was drawn before it)") % p
    return kind


def trough_reminder_reason(params: dict) -> str:
    """The reason of a "trough_due" reminder from its parameters (check + check_params), in the reader's
    language; a reminder stored before the check's code was kept shows its stored reason."""
    if params.get("check"):
        return due_text(params["check"], params.get("check_params"))
    return params.get("reason", "")


def course_text(flag: CourseFlag) -> str:
    """The month-3 course decision (dosing.tdm.CourseFlag) in words."""
    p = {key: _day(value) for key, value in flag.params.items()}
    if flag.kind == "off_study":
        return _("Off study since %(off_study_on)s: record the date sirolimus was stopped (safety follow-up runs "
                 "%(follow_up_days)s days from it).") % p
    if flag.kind == "stopped":
        return _("Sirolimus stopped on %(stopped_on)s; safety follow-up until %(until)s.") % p
    if flag.kind == "pending":
        return _("Month-3 course decision on %(decision_day)s (at least 3 months of treatment).") % p
    if flag.kind == "continue":
        return _("Responder (%(status)s): continue ≥ %(months)s months (until at least %(until)s).") % p
    if flag.kind == "not_evaluable":
        return _("Month 3 passed and the response is not evaluable: record a count.")
    if flag.kind == "taper":
        return _("No response at month 3 (%(status)s): taper and stop per protocol.") % p
    return flag.kind


DRUG_NAMES = {
    "ketoconazole": gettext_lazy("ketoconazole"), "itraconazole": gettext_lazy("itraconazole"),
    "voriconazole": gettext_lazy("voriconazole"), "posaconazole": gettext_lazy("posaconazole"),
    "clarithromycin": gettext_lazy("clarithromycin"), "erythromycin": gettext_lazy("erythromycin"),
    "telithromycin": gettext_lazy("telithromycin"), "ritonavir": gettext_lazy("ritonavir"),
    "cobicistat": gettext_lazy("cobicistat"), "indinavir": gettext_lazy("indinavir"),
    "nelfinavir": gettext_lazy("nelfinavir"), "saquinavir": gettext_lazy("saquinavir"),
    "nefazodone": gettext_lazy("nefazodone"), "rifampin": gettext_lazy("rifampicin (rifampin)"),
    "rifabutin": gettext_lazy("rifabutin"), "rifapentine": gettext_lazy("rifapentine"),
    "carbamazepine": gettext_lazy("carbamazepine"), "phenytoin": gettext_lazy("phenytoin"),
    "phenobarbital": gettext_lazy("phenobarbital"), "st_johns_wort": gettext_lazy("St John's wort"),
    "enzalutamide": gettext_lazy("enzalutamide"), "apalutamide": gettext_lazy("apalutamide"),
    "mitotane": gettext_lazy("mitotane"), "cyclosporine": gettext_lazy("cyclosporine"),
}


def drug_label(code: str) -> str:
    """An interacting drug's generic name in the reader's language."""
    return str(DRUG_NAMES.get(code, code))


def interaction_text(code: str) -> str:
    """What an interacting drug does to the sirolimus level."""
    drug = DRUGS_BY_CODE.get(code)
    effect = drug.effect if drug else None
    if effect == INDUCER:
        return _("a strong CYP3A4 inducer: it lowers the sirolimus level.")
    if effect == CALCINEURIN:
        return _("it raises the sirolimus level; give sirolimus 4 hours after cyclosporine.")
    return _("a strong CYP3A4 inhibitor: it raises the sirolimus level.")


GRAPEFRUIT_ADVICE = gettext_lazy(
    "Take sirolimus at the same time every day, always with or always without food, and avoid grapefruit and "
    "grapefruit juice: they raise the blood level.")
