"""Help texts of the visit fields that carry a rule, worded from the protocol in force (not hard-coded numbers)."""

from django.utils.translation import gettext as _

from .response import ResponseProtocol


def platelets_help(protocol: ResponseProtocol) -> str:
    gt = "≥" if protocol.inclusive_thresholds else ">"
    return _(
        "Response at this visit: CR if the count is %(gt)s %(cr)s; R if it is %(gt)s %(r)s and at least %(x)s× the "
        "baseline count; both only without bleeding. Otherwise NR."
    ) % {"gt": gt, "cr": f"{protocol.cr_threshold:g}", "r": f"{protocol.r_threshold:g}",
         "x": f"{protocol.doubling_factor:g}"}


def bleeding_help(protocol: ResponseProtocol) -> str:
    return _(
        "Bleeding means a WHO grade of %(min)s or more: petechiae and bruising count (grade 1). A visit with bleeding "
        "is NR whatever the count; CR and R need grade 0 recorded."
    ) % {"min": protocol.bleeding_grade_min}


def visit_date_help() -> str:
    return _(
        "The day the blood count was taken. A scheduled visit has a window around its target date (shown above); "
        "a date outside it is saved with a warning and the visit is flagged as out of window."
    )


def rescue_help(protocol: ResponseProtocol) -> str:
    return _(
        "Rescue therapy: IVIG, platelet transfusion, a new or increased glucocorticoid, or a new ITP drug. Counts in "
        "the %(days)s days after it are flagged and cannot confirm a response."
    ) % {"days": protocol.rescue_window_days}


def baseline_date_help() -> str:
    return _("The baseline count is taken within the 7 days before day 0, or on day 0 (window −7 to 0).")


def baseline_platelets_help(protocol: ResponseProtocol) -> str:
    return _(
        "The reference for R (at least %(x)s× this count). The baseline itself has no response category."
    ) % {"x": f"{protocol.doubling_factor:g}"}
