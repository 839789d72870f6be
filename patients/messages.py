"""The words of the patients app's problem codes (patients.eligibility, enrolment), in one place.

(phrase, sentence[, shown_params]) per code, as itp_trial.validation describes: the phrase reads after a field's
name or a JSON path, the sentence stands alone next to the form's field. A therapy is shown by its translated
name, or by the name typed for "Other".
"""

from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from itp_trial.validation import register

from .vocabulary import Therapy


def therapy_name(code: str, other_name: str = "") -> str:
    return other_name or str(Therapy(code).label)


def _named(params):
    return {**params, "therapy": therapy_name(params["therapy"], params.get("other_name", ""))}


def _listed(params):
    return {"therapies": _g(", ").join(therapy_name(code, other) for code, other in params["therapies"])}


WORDINGS = {
    "start_date.future": (
        _("cannot be in the future: day 0 is the first sirolimus dose, already given (today is %(today)s)"),
        _("Cannot be in the future: day 0 is the first sirolimus dose, already given (today is %(today)s).")),
    "diagnosis_date.before_birth": (_("cannot be before the birth date"), _("Cannot be before the birth date.")),
    "diagnosis_date.after_start": (_("cannot be after the sirolimus start date"),
                                   _("Cannot be after the sirolimus start date.")),
    "consent_date.after_start": (_("written consent must be given on or before sirolimus start"),
                                 _("Written consent must be given on or before sirolimus start.")),
    "criterion.unconfirmed": (_("must be confirmed for the patient to be eligible"),
                              _("Must be confirmed for the patient to be eligible.")),
    "second_line.listed": (
        _("%(therapies)s is listed as a prior second-line therapy: say when it was stopped"),
        _("%(therapies)s is listed as a prior second-line therapy: say when it was stopped."), _listed),
    "second_line.missing": (_("list the second-line therapy below, with its stop date"),
                            _("List the second-line therapy below, with its stop date.")),
    "washout.no_stop_date": (
        _("%(therapy)s: no stop date recorded, so the 1-month washout cannot be checked"),
        _("%(therapy)s: no stop date recorded, so the 1-month washout cannot be checked."), _named),
    "washout.recent": (
        _("%(therapy)s stopped on %(stopped)s, %(days)s days before sirolimus start (less than 1 month; the "
          "protocol expects it stopped by %(limit)s)"),
        _("%(therapy)s stopped on %(stopped)s, %(days)s days before sirolimus start (less than 1 month; the "
          "protocol expects it stopped by %(limit)s)."), _named),
    "washout.declared_recent": (
        _("the checklist says a second-line therapy was stopped less than 1 month before start"),
        _("The checklist says a second-line therapy was stopped less than 1 month before start.")),
    "washout.acknowledge": (_("acknowledge the washout warning to enrol: %(warnings)s"),
                            _("Acknowledge the washout warning to enrol: %(warnings)s")),
}
register(WORDINGS)
