"""The words of the patient dashboard's chart (static/js/patient-chart.js), in the reader's language.

The page passes them to the script as JSON (json_script #chart-text), beside the chart's data; the script fills
the named placeholders (%(name)s) with numbers and ISO dates, so every sentence is translated whole.
"""

from django.utils.translation import gettext as _


def chart_text() -> dict[str, str]:
    return {
        "days_axis": _("Days since day 0 (first sirolimus dose)"),
        # 1. platelets
        "platelets": _("Platelets (×10⁹/L)"),
        "platelets_axis": _("Platelets ×10⁹/L"),
        "r_line": _("R threshold %(value)s"),
        "cr_line": _("CR threshold %(value)s"),
        "double_baseline": _("2 × baseline"),
        "reference_count": _("reference count"),
        "bleeding_grade": _("bleeding grade %(grade)s"),
        "rescue_window": _("rescue window"),
        # 2. dose and troughs
        "target_band": _("Target %(low)s–%(high)s ng/mL"),
        "dose": _("Sirolimus mg/day"),
        "trough": _("Trough ng/mL"),
        "dose_axis": _("Dose mg/day"),
        "trough_axis": _("Trough ng/mL"),
        "trough_in_range": _("%(date)s: trough %(value)s ng/mL"),
        "trough_out_of_range": _("%(date)s: trough %(value)s ng/mL (outside %(low)s–%(high)s)"),
        "dose_step": _("from %(date)s (day %(day)s): %(dose)s mg/day, %(phase)s"),
        # 3. adverse events
        "adverse_events": _("Adverse events"),
        "ae_axis": _("AE"),
        "ae_bar": _("G%(grade)s %(term)s"),
        "ae_bar_ongoing": _("G%(grade)s %(term)s (ongoing)"),
        "ae_resolved": _("grade %(grade)s, %(start)s – %(end)s"),
        "ae_ongoing": _("grade %(grade)s, %(start)s – ongoing"),
    }
