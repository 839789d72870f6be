from decimal import Decimal

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views import View

from itp_trial.clock import study_today
from itp_trial.roles import VIEW_REPORTS, VIEW_STUDY
from itp_trial.views import CapabilityRequired
from monitoring import selectors as monitoring
from patients.models import Patient
from patients.selectors import course_dates
from visits.schedule import PROTOCOL_SCHEDULE, SlotStatus
from visits.selectors import patient_schedule

from .chart_text import chart_text
from .dashboards import patient_chart, plain
from .study_grid import PAGE_SIZE, GridFilters, category_counts, filtered_patients, grid_rows, slot_counts
from .study_grid_display import category_choices, column_counts, grid_display, page_links, quick_filters
from .study_tables import response_summary
from .views import labelled


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
    """The study grid, a page of PAGE_SIZE patients at a time (sorted by study ID, filtered on the server): the
    same queries whatever the number of patients. The whole study's counts per visit and Tables 2-3 come from
    StudySummaryView, which the page loads beside the grid (and links to)."""

    permission_required = VIEW_REPORTS

    def get(self, request):
        today = study_today()
        filters = GridFilters.from_query(request.GET)
        found = filtered_patients(filters, today=today).select_related("response", "withdrawal")
        categories = category_counts()
        paginator = Paginator(found, PAGE_SIZE)
        if not filters.any:
            paginator.count = sum(categories.values())  # every patient once: no second count of the study
        page = paginator.get_page(request.GET.get("page"))
        patients = list(page.object_list)
        ids = [p.pk for p in patients]
        rows = grid_rows(patients, today=today, marks=monitoring.visit_marks(patient_ids=ids))
        return render(request, "reports/study_dashboard.html", {
            "rows": grid_display(rows, open_counts=monitoring.open_counts(patient_ids=ids)),
            "page": page, "filters": filters, "links": page_links(filters, page),
            "quick_filters": quick_filters(filters), "category_choices": category_choices(),
            "categories": categories, "visits": PROTOCOL_SCHEDULE.visits,
            "open": monitoring.study_open_count(),
        })


class StudySummaryView(CapabilityRequired, View):
    """The whole study's counts per protocol visit and Tables 2-3, from aggregate queries: a page of its own, and
    (`?part=1`) the section the study dashboard shows under its grid."""

    permission_required = VIEW_REPORTS

    def get(self, request):
        context = {"counts": column_counts(slot_counts(today=study_today())),
                   "visits": PROTOCOL_SCHEDULE.visits, "report": labelled(response_summary()),
                   "open": monitoring.study_open_count(), "progress": monitoring.study_progress()}
        part = request.GET.get("part") == "1"
        return render(request, "reports/_study_summary.html" if part else "reports/study_summary.html", context)
