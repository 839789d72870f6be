from decimal import Decimal

from django.http import Http404
from django.shortcuts import render
from django.views import View

from itp_trial.clock import study_today
from itp_trial.roles import VIEW_REPORTS, VIEW_STUDY
from itp_trial.views import CapabilityRequired
from patients.models import Patient
from patients.selectors import course_dates
from visits.schedule import PROTOCOL_SCHEDULE, SlotStatus
from visits.selectors import patient_schedule

from .chart_text import chart_text
from .dashboards import grid_counts, patient_chart, plain, study_grid
from .selectors import study_response_report
from .views import labelled

FILTERS = {
    "responding": ("Responding (R or CR now)", lambda row: row.responding),
    "taper": ("No response at month 3: taper and stop per protocol", lambda row: row.nr_at_month3),
    "withdrawal": ("Withdrawal pending (grade ≥ 3 adverse event)", lambda row: row.withdrawal_pending),
    "overdue": ("With an overdue or missed visit", lambda row: row.overdue),
}


class PatientDashboardView(CapabilityRequired, View):
    permission_required = VIEW_STUDY

    def get(self, request, study_id):
        try:
            patient = Patient.objects.select_related("response").get(study_id=study_id)
        except Patient.DoesNotExist as exc:
            raise Http404(study_id) from exc
        today = study_today()
        course = course_dates(patient=patient)
        due = [row for row in patient_schedule(patient=patient, today=today, stopped_on=course.stopped_on,
                                               off_study_on=course.off_study_on)
               if row.status in (SlotStatus.DUE, SlotStatus.OVERDUE, SlotStatus.MISSED)]
        chart = patient_chart(patient=patient, today=today)
        troughs = [{**t, "kind": "trough", "ng_ml": plain(Decimal(str(t["ng_ml"])))} for t in chart["troughs"]]
        drug_rows = sorted([{**d, "kind": "dose"} for d in chart["doses"]] + troughs, key=lambda row: row["day"])
        return render(request, "reports/patient_dashboard.html", {
            "patient": patient, "summary": patient.response, "chart": chart, "chart_text": chart_text(),
            "drug_rows": drug_rows,
            "due": due, "today": today, "today_day": (today - patient.start_date).days,
        })


class StudyDashboardView(CapabilityRequired, View):
    permission_required = VIEW_REPORTS

    def get(self, request):
        rows = study_grid(today=study_today())
        chosen = request.GET.get("filter", "")
        counts = grid_counts(rows)
        if chosen in FILTERS:
            rows = [row for row in rows if FILTERS[chosen][1](row)]
        return render(request, "reports/study_dashboard.html", {
            "rows": rows, "counts": counts, "visits": PROTOCOL_SCHEDULE.visits, "filters": FILTERS,
            "chosen": chosen, "report": labelled(study_response_report()),
        })
