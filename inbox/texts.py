"""The one place a reminder's kind + parameters become a sentence, in the reader's language (gettext).

Parameters are data (codes, numbers, ISO dates); labels of codes come from the domain that owns them.
A reminder written before parameters existed (no params) shows its stored text.
"""

from datetime import date

from django.utils.translation import gettext as _

from dosing.messages import trough_reminder_reason
from safety.ctcae import ANALYTES_BY_CODE, PANEL_LABELS
from visits.selectors import slot_label


def _panels(codes: list[str]) -> str:
    labels = {panel.value: label for panel, label in PANEL_LABELS.items()}
    return ", ".join(str(labels.get(code, code)).lower() for code in codes)


def _findings(findings: list[dict]) -> str:
    return "; ".join(_("%(term)s grade %(grade)s") % item for item in findings)


def _day(value: str | None) -> str:
    return date.fromisoformat(value).isoformat() if value else "?"


def _lab(reminder, params: dict, status: str) -> str:
    return _("%(study_id)s: safety labs (%(panels)s) %(status)s — target %(date)s") % {
        "study_id": reminder.patient.study_id, "panels": _panels(params.get("panels", [])), "status": status,
        "date": reminder.due_date.isoformat()}


def _trough(reminder, params: dict) -> str:
    status = _("overdue") if params.get("overdue") else _("due")
    return _("%(study_id)s: sirolimus trough level %(status)s (%(reason)s) from %(date)s") % {
        "study_id": reminder.patient.study_id, "status": status, "reason": trough_reminder_reason(params),
        "date": reminder.due_date.isoformat()}


def _visit(reminder, params: dict) -> str:
    return _("%(study_id)s: %(visit)s visit due — target %(target)s, window closes %(closes)s") % {
        "study_id": reminder.patient.study_id, "visit": slot_label(params.get("visit", "")),
        "target": reminder.due_date.isoformat(), "closes": _day(params.get("closes"))}


def _ae_proposed(reminder, params: dict) -> str:
    return _("%(study_id)s: confirm or dismiss %(findings)s from the lab of %(date)s") % {
        "study_id": reminder.patient.study_id, "findings": _findings(params.get("findings", [])),
        "date": _day(params.get("sample_date"))}


def _ae_review(reminder, params: dict) -> str:
    analyte = ANALYTES_BY_CODE.get(params.get("analyte", ""))
    now = (_("grade %(grade)s") % {"grade": params["now_grade"]}) if params.get("now_grade") else _("not graded")
    return _("%(study_id)s: the %(analyte)s value behind the confirmed %(term)s grade %(grade)s was corrected "
             "(%(now)s): review the adverse event") % {
        "study_id": reminder.patient.study_id, "analyte": analyte.label if analyte else params.get("analyte", ""),
        "term": params.get("term", ""), "grade": params.get("grade", ""), "now": now}


def _withdrawal(reminder, params: dict) -> str:
    return _("%(study_id)s: %(term)s grade %(grade)s — withdraw the patient and record the off-study date and "
             "reason") % {"study_id": reminder.patient.study_id, "term": params.get("term", ""),
                          "grade": params.get("grade", "")}


RENDERERS = {
    "lab_due": lambda r, p: _lab(r, p, _("due")),
    "lab_overdue": lambda r, p: _lab(r, p, _("overdue")),
    "trough_due": _trough,
    "visit_due": _visit,
    "ae_proposed": _ae_proposed,
    "ae_review": _ae_review,
    "withdrawal": _withdrawal,
}


def reminder_text(reminder) -> str:
    if not reminder.params and reminder.message:
        return reminder.message
    return RENDERERS[reminder.kind](reminder, reminder.params or {})


def reminder_subject(reminder) -> str:
    return _("[ITP trial] %(kind)s: %(study_id)s") % {"kind": reminder.get_kind_display(),
                                                      "study_id": reminder.patient.study_id}


def reminder_body(reminder) -> str:
    return _("%(text)s\n\nOpen your inbox in the trial application to act on it.") % {"text": reminder_text(reminder)}

