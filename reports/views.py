from django.shortcuts import render
from django.views import View

from itp_trial.roles import VIEW_REPORTS
from itp_trial.views import CapabilityRequired
from visits.selectors import slot_label

from .selectors import study_report


def labelled(report: dict) -> dict:
    """The report with each timepoint's display label (pages only; the JSON interface has none)."""
    for row in report["timepoints"]:
        row["label"] = slot_label(row["visit"])
    return report


class StudyResponseView(CapabilityRequired, View):
    permission_required = VIEW_REPORTS

    def get(self, request):
        return render(request, "reports/response.html", {"report": labelled(study_report())})
