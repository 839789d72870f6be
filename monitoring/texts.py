"""What the system writes in a query thread, shown in the reader's language.

The system's questions (automatic.RULES) and its close/re-open notes are stored as the English text they were
written in (the thread, and the queries export, keep them as written). When a page shows a message, a stored
system text is replaced by its sentence in the active language; anything a person wrote is shown as written.
"""

from django.utils.translation import gettext as _

from .automatic import PLATELETS_IMPLAUSIBLE, RULES, TROUGH_IMPLAUSIBLE

AUTO_CLOSED = "Closed automatically: the cause is gone (the value was corrected)."
AUTO_REOPENED = "Re-opened automatically: the cause is back."


def _system_texts() -> dict[str, str]:
    """Each stored system text -> the same sentence in the active language."""
    return {
        RULES["visit_window"].question: _(
            "The visit was saved outside its protocol window. Please confirm the date against the source."),
        RULES["washout"].question: _(
            "A second-line therapy stopped less than a month before sirolimus was acknowledged at enrolment. "
            "Please confirm the stop date and document the decision."),
        RULES["platelets_high"].question: _(
            "A platelet count above %(limit)s ×10⁹/L is implausible. Please check it against the laboratory "
            "report.") % {"limit": PLATELETS_IMPLAUSIBLE},
        RULES["trough_high"].question: _(
            "A trough level above %(limit)s ng/mL is implausible. Please check the sample and the unit.")
        % {"limit": TROUGH_IMPLAUSIBLE},
        RULES["dose_range"].question: _(
            "The dose is outside the protocol's range (saved with a reason). Please confirm it against the "
            "prescription."),
        RULES["bleeding_missing"].question: _("The WHO bleeding grade is missing. Please enter it from the source."),
        AUTO_CLOSED: _("Closed automatically: the cause is gone (the value was corrected)."),
        AUTO_REOPENED: _("Re-opened automatically: the cause is back."),
    }


def message_text(text: str) -> str:
    """`text` in the reader's language when the system wrote it; as written otherwise."""
    return _system_texts().get(text, text) if text else text
