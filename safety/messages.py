"""The one place the safety rules' codes become words, in the reader's language (gettext), and CTCAE terms get
their established Chinese names on Chinese pages.

The services find problems as codes with values (safety.findings.Finding); forms, pages, import problems and
reminders word them here. Stored data and exports keep the English CTCAE term and the MedDRA code.
"""

from datetime import date

from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _

from .ctcae import ANALYTES_BY_CODE
from .findings import Finding
from .grade_texts import CHINESE_GRADES
from .terms import CHINESE_SOCS, CHINESE_TERMS, CTCAE_VERSION, GENERIC_GRADES, find_term


def chinese() -> bool:
    return (get_language() or "").lower().startswith("zh")


def term_label(name: str | None) -> str:
    """A CTCAE term in the reader's language (its established Chinese name on a Chinese page); an uncoded term as
    typed."""
    if not name:
        return ""
    term = find_term(str(name))
    if term is None:
        return str(name)
    return CHINESE_TERMS.get(term.name, term.name) if chinese() else term.name


def soc_label(soc: str | None) -> str:
    if not soc:
        return ""
    return CHINESE_SOCS.get(soc, soc) if chinese() else soc


GENERIC_GRADE_LABELS = {
    1: gettext_lazy("Mild"),
    2: gettext_lazy("Moderate"),
    3: gettext_lazy("Severe or medically significant"),
    4: gettext_lazy("Life-threatening consequences; urgent intervention indicated"),
    5: gettext_lazy("Death related to AE"),
}


def generic_grade(grade: int) -> str:
    return str(GENERIC_GRADE_LABELS.get(grade, GENERIC_GRADES.get(grade, "")))


def grade_definition(term, grade: int) -> str:
    """What `grade` means for a coded term, in the reader's language (CTCAE's wording; on a Chinese page its
    Chinese wording from safety/grade_texts.py)."""
    text = term.grades.get(grade, "")
    return CHINESE_GRADES.get(text, text) if chinese() else text


def finding_text(finding: Finding) -> str:
    """A safety rule's finding in words."""
    p = {key: value.isoformat() if isinstance(value, date) else value for key, value in finding.params.items()}
    code = finding.code
    texts = {
        "date.future": lambda: _("Cannot be in the future."),
        "lab.before_baseline_window": lambda: _("Must be at most 30 days before day 0 (the baseline labs)."),
        "lab.no_values": lambda: _("Enter at least one lab value."),
        "lab.unknown_analyte": lambda: _("Unknown analyte."),
        "lab.entered_twice": lambda: _("Entered twice."),
        "lab.unit": lambda: _("%(analyte)s is reported in %(units)s.") % {
            "analyte": analyte_label(p["analyte"]), "units": _(" or ").join(p["units"])},
        "lab.negative": lambda: _("Cannot be negative."),
        "lab.uln_not_positive": lambda: _("Must be above 0."),
        "lab.lln_not_below_uln": lambda: _("Must be below the ULN."),
        "lab.analyte_changed": lambda: _("A saved value keeps its analyte; record the other analyte as a new lab."),
        "ae.no_term": lambda: _("Choose a CTCAE term or type an 'other' term."),
        "ae.grade_not_defined": lambda: _("%(term)s is graded %(grades)s in CTCAE v%(version)s.") % {
            "term": term_label(p["term"]), "grades": ", ".join(str(g) for g in p["grades"]),
            "version": CTCAE_VERSION},
        "ae.grade_range": lambda: _("Must be 1 to 5."),
        "ae.onset_before_day0": lambda: _("Cannot be before day 0 (%(day0)s); earlier events are history.") % p,
        "ae.end_before_onset": lambda: _("Cannot be before the onset date."),
        "ae.death_date_missing": lambda: _("Grade 5 (death): enter the date of death."),
        "ae.death_date_range": lambda: _("Must be between the onset date and today."),
        "ae.grade5_not_fatal": lambda: _("A grade 5 event has a fatal outcome."),
        "ae.death_date_not_grade5": lambda: _("Only a grade 5 event has a date of death."),
        "ae.fatal_not_grade5": lambda: _("A fatal outcome is grade 5."),
        "ae.lab_keeps_term": lambda: _("An event confirmed from a lab keeps its CTCAE term."),
        "proposal.decided": lambda: (_("This proposal was already confirmed.") if p.get("status") == "confirmed"
                                     else _("This proposal was already dismissed.")),
        "proposal.no_reason": lambda: _("Give the reason this value is not an adverse event."),
        "treg.recorded": lambda: _("This timepoint's Treg value is already recorded."),
        "control.registered": lambda: _("%(control_id)s is already registered.") % p,
    }
    return texts[code]() if code in texts else code


def findings_text(findings: dict[str, list[Finding]]) -> dict[str, list[str]]:
    """Every finding of a field-keyed dict in words (for a ValidationError or an import problem)."""
    return {key: [finding_text(f) for f in items] for key, items in findings.items()}


def analyte_label(code: str) -> str:
    analyte = ANALYTES_BY_CODE.get(code)
    return str(analyte.label) if analyte else code


def graded_text(term: str, grade: int) -> str:
    """"Alanine aminotransferase increased grade 1" in the reader's language."""
    return _("%(term)s grade %(grade)s") % {"term": term_label(term), "grade": grade}



LAB_STATUSES = {"due": pgettext_lazy("safety labs", "due"), "overdue": pgettext_lazy("safety labs", "overdue"),
                "done": pgettext_lazy("safety labs", "done"), "upcoming": pgettext_lazy("safety labs", "upcoming"),
                "ended": pgettext_lazy("safety labs", "ended")}


def lab_status_label(code: str) -> str:
    return str(LAB_STATUSES.get(code, code))
