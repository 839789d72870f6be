from django.shortcuts import render
from django.views import View

from itp_trial.roles import VIEW_REPORTS
from itp_trial.views import CapabilityRequired
from visits.selectors import slot_label

from .selectors import study_report


class StudyResponseView(CapabilityRequired, View):
    permission_required = VIEW_REPORTS

    def get(self, request):
        report = study_report()
        for row in report["timepoints"]:
            row["label"] = slot_label(row["visit"])
        return render(request, "reports/response.html", {"report": report})
