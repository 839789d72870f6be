"""The physician's dashboards: the chart draws one point per visit; the study grid filters."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import enrol, record

pytestmark = pytest.mark.browser


def test_patient_chart_draws_one_point_per_visit(page, login, site, shoot):
    today = timezone.localdate()
    nurse = site["users"]["nurse"]
    patient = enrol(nurse, start=today - timedelta(days=30), baseline=12, today=today)
    record(patient, nurse, "week1", day=7, platelets=25, today=today)
    record(patient, nurse, "week2", day=14, platelets=48, grade=1, today=today)
    record(patient, nurse, "week3", day=21, platelets=110, today=today)
    record(patient, nurse, "unscheduled", day=24, platelets=130, today=today)

    login("physician")
    page.goto(f"{site['url']}/patients/{patient.study_id}/")
    page.get_by_role("link", name="Dashboard", exact=True).click()
    expect(page.get_by_role("heading", name=f"{patient.study_id} · dashboard")).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart('platelet-chart')")
    drawn = page.evaluate("""() => {
        const chart = Chart.getChart('platelet-chart');
        const meta = chart.getDatasetMeta(0);
        return {points: meta.data.length, labels: chart.data.datasets.map(d => d.label),
                colours: chart.data.datasets[0].pointBackgroundColor};
    }""")
    assert drawn["points"] == 5 == page.get_by_test_id("chart-table").locator("tbody tr").count()
    assert drawn["labels"][:4] == ["Platelets (×10⁹/L)", "R threshold 30", "CR threshold 100", "2 × baseline"]
    assert drawn["colours"] == ["#6c757d", "#6c757d", "#6c757d", "#198754", "#198754"]
    expect(page.get_by_test_id("due-items")).to_contain_text("Month 1")
    shoot("patient-dashboard")
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_function("() => Chart.getChart('platelet-chart').width <= 390")  # redrawn for a phone
    page.screenshot(path="test-artifacts/patient-dashboard-390.png", full_page=True)


def test_study_dashboard_grid_and_filters(page, login, site, shoot):
    today = timezone.localdate()
    nurse = site["users"]["nurse"]
    responder = enrol(nurse, start=today - timedelta(days=10), baseline=10, today=today)
    record(responder, nurse, "week1", day=7, platelets=45, today=today)
    other = enrol(nurse, start=today - timedelta(days=10), baseline=10, today=today)
    record(other, nurse, "week1", day=7, platelets=12, today=today)

    login("physician")
    page.get_by_role("link", name="Study dashboard").click()
    grid = page.get_by_test_id("grid")
    expect(grid.locator(f"tr[data-patient='{responder.study_id}'] td[data-code=week1]")).to_have_text("R")
    expect(grid.locator(f"tr[data-patient='{other.study_id}'] td[data-code=week1]")).to_have_text("NR")
    expect(page.get_by_test_id("column-counts")).to_contain_text("NR 1")
    shoot("study-dashboard")
    page.get_by_role("link", name="Responding (R or CR now)").click()
    expect(grid.locator("tbody tr")).to_have_count(1)
    expect(grid).to_contain_text(responder.study_id)
