"""The physician's dashboards: the chart draws one point per visit; the study grid filters."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.study_grid import cell_text, row, shown_study_ids
from tests.factories import enrol, record

pytestmark = pytest.mark.browser


DRAWN_DOSE = """([canvasId, days]) => {
    // The dose as drawn: the pixels of the dose colour (#fd7e14) in the canvas column of each day, read back
    // through the dose axis. Works whatever the series looks like in the chart's data.
    const chart = Chart.getChart(canvasId);
    const dataset = chart.data.datasets.find(d => d.label.startsWith('Sirolimus'));
    const scale = chart.scales[dataset.yAxisID || 'y'];
    const ratio = chart.currentDevicePixelRatio;
    const ctx = chart.canvas.getContext('2d');
    const top = Math.ceil(chart.chartArea.top * ratio), bottom = Math.floor(chart.chartArea.bottom * ratio);
    return days.map(day => {
        const x = Math.round(chart.scales.x.getPixelForValue(day) * ratio);
        const column = ctx.getImageData(x, top, 1, bottom - top).data;
        const rows = [];
        for (let i = 0; i < bottom - top; i++) {
            const [r, g, b] = [column[4 * i], column[4 * i + 1], column[4 * i + 2]];
            if (Math.abs(r - 253) < 30 && Math.abs(g - 126) < 30 && Math.abs(b - 20) < 30) rows.push(top + i);
        }
        if (!rows.length) return null;
        return Math.round(scale.getValueForPixel(rows[Math.floor(rows.length / 2)] / ratio) * 10) / 10;  // ±0.05 mg
    });
}"""

AXES = """() => ['platelet-chart', 'drug-chart', 'ae-chart'].map(id => {
    const chart = Chart.getChart(id);
    return {left: Math.round(chart.chartArea.left), right: Math.round(chart.chartArea.right), min: chart.scales.x.min,
            max: chart.scales.x.max, day10: Math.round(chart.scales.x.getPixelForValue(10))};
})"""


@pytest.fixture
def itp_001(site):
    """ITP-001's regimen: 2 mg/day on days 0-7, 1 mg/day from day 8, a maintenance 1 mg/day from day 30; two
    troughs, a resolved and an ongoing adverse event, bleeding at week 2."""
    from dosing.tests.factories import dose, trough
    from safety.tests.builders import event

    today = timezone.localdate()
    nurse = site["users"]["nurse"]
    patient = enrol(nurse, start=today - timedelta(days=40), baseline=12, today=today)
    record(patient, nurse, "week1", day=7, platelets=25, today=today)
    record(patient, nurse, "week2", day=14, platelets=48, grade=1, today=today)
    record(patient, nurse, "week3", day=21, platelets=110, today=today)
    record(patient, nurse, "unscheduled", day=24, platelets=130, today=today)
    dose(patient, nurse, day=0, mg=2, today=today)
    dose(patient, nurse, day=8, mg=1, phase="adjustment", today=today)
    dose(patient, nurse, day=30, mg=1, phase="maintenance", today=today)
    trough(patient, nurse, day=7, ng_ml="27.7", today=today)
    trough(patient, nurse, day=17, ng_ml="11.2", today=today)
    start = patient.start_date
    event(patient, nurse, on=start + timedelta(days=20), term="Rash acneiform", grade=1, today=today,
          end_date=start + timedelta(days=27), outcome="recovered")
    event(patient, nurse, on=start + timedelta(days=30), term="Diarrhea", grade=2, today=today)
    return patient


def test_patient_chart_stacks_platelets_dose_and_adverse_events_on_one_day_axis(page, login, site, shoot, itp_001):
    login("physician")
    page.goto(f"{site['url']}/patients/{itp_001.study_id}/")
    page.get_by_role("link", name="Dashboard", exact=True).click()
    expect(page.get_by_role("heading", name=f"{itp_001.study_id} · dashboard")).to_be_visible()
    page.wait_for_function("() => window.Chart && ['platelet-chart', 'drug-chart', 'ae-chart']"
                           ".every(id => Chart.getChart(id))")
    drawn = page.evaluate("""() => {
        const chart = Chart.getChart('platelet-chart');
        const meta = chart.getDatasetMeta(0);
        return {points: meta.data.length, labels: chart.data.datasets.map(d => d.label),
                colours: chart.data.datasets[0].pointBackgroundColor, styles: chart.data.datasets[0].pointStyle};
    }""")
    assert drawn["points"] == 5 == page.get_by_test_id("chart-table").locator("tbody tr").count()
    assert drawn["labels"] == ["Platelets (×10⁹/L)", "R threshold 30", "CR threshold 100", "2 × baseline"]
    assert drawn["colours"] == ["#6c757d", "#6c757d", "#6c757d", "#198754", "#198754"]
    assert drawn["styles"] == ["circle", "circle", "triangle", "circle", "circle"]  # bleeding at week 2
    # The dose drawn inside each interval is the dose taken then (the old chart drew 1.0 from day 0).
    assert page.evaluate(DRAWN_DOSE, ["drug-chart", [1, 4, 7, 9, 20, 29, 31, 39]]) == [
        2.0, 2.0, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    # One day axis: the three panels put a day at the same pixel.
    axes = page.evaluate(AXES)
    assert len({(a["left"], a["right"], a["min"], a["max"], a["day10"]) for a in axes}) == 1, axes
    bars = page.evaluate("""() => Chart.getChart('ae-chart').getDatasetMeta(0).data.map(
        bar => [Math.round(Chart.getChart('ae-chart').scales.x.getValueForPixel(Math.min(bar.base, bar.x))),
                Math.round(Chart.getChart('ae-chart').scales.x.getValueForPixel(Math.max(bar.base, bar.x)))])""")
    assert bars == [[20, 27], [30, 40]]  # onset to resolution; the ongoing one to today (day 40)
    expect(page.get_by_test_id("due-items")).to_contain_text("Month 1")
    shoot("patient-dashboard")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.wait_for_function("() => window.Chart && Chart.getChart('ae-chart') "
                           "&& Chart.getChart('drug-chart').width <= 390")
    assert page.evaluate(DRAWN_DOSE, ["drug-chart", [4, 20]]) == [2.0, 1.0]
    axes = page.evaluate(AXES)
    assert len({(a["left"], a["right"], a["day10"]) for a in axes}) == 1, axes
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    page.screenshot(path="test-artifacts/patient-dashboard-390.png", full_page=True)
    page.get_by_test_id("chart").screenshot(path="test-artifacts/patient-chart-390.png")


def test_study_dashboard_grid_and_filters(page, login, site, shoot):
    today = timezone.localdate()
    nurse = site["users"]["nurse"]
    responder = enrol(nurse, start=today - timedelta(days=10), baseline=10, today=today)
    record(responder, nurse, "week1", day=7, platelets=45, today=today)
    other = enrol(nurse, start=today - timedelta(days=10), baseline=10, today=today)
    record(other, nurse, "week1", day=7, platelets=12, today=today)

    login("physician")
    page.get_by_role("link", name="Study dashboard").click()
    expect(page.get_by_test_id("grid").locator("tbody tr")).to_have_count(2)
    assert cell_text(page, responder.study_id, "week1") == "R"
    assert cell_text(page, other.study_id, "week1") == "NR"
    expect(page.get_by_test_id("column-counts")).to_contain_text("NR 1")  # the whole-study section, loaded beside
    shoot("study-dashboard")
    page.get_by_role("link", name="Responding (R or CR now)").click()
    expect(page.get_by_test_id("grid").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_test_id("grid")).to_contain_text(responder.study_id)


def test_study_dashboard_pages_and_filters_a_large_study(page, login, site, shoot):
    """A physician reads page 1 of 130 patients, narrows to the patients with an overdue visit, and goes to page 2
    of those; the whole study's counts stay the study's. The same page in Chinese."""
    from benchmarks.study_data import build_study
    from reports.study_grid import GridFilters, category_counts, filtered_patients

    today = timezone.localdate()
    build_study(130, user=site["users"]["physician"], today=today)
    overdue = list(filtered_patients(GridFilters(overdue=True), today=today).values_list("study_id", flat=True))
    assert len(overdue) > 50, "the generated study fills two pages of patients with an overdue visit"
    counts = category_counts()

    login("physician")
    page.get_by_role("link", name="Study dashboard").click()
    expect(page.get_by_test_id("page-summary").first).to_have_text("Patients 1–50 of 130")
    assert shown_study_ids(page) == [f"ITP-{n:05d}" for n in range(1, 51)]
    expect(page.get_by_test_id("category-counts")).to_contain_text(f"NR {counts['NR']}")
    expect(page.get_by_test_id("table2")).to_be_visible()
    expect(page.locator("[data-testid=study-summary][data-loaded=true]")).to_have_count(1)
    shoot("study-dashboard-page1")

    page.get_by_label("Visit overdue or missed").check()
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("page-summary").first).to_have_text(f"Patients 1–50 of {len(overdue)}")
    assert shown_study_ids(page) == overdue[:50]
    page.get_by_role("link", name="Next").first.click()
    expect(page.get_by_test_id("page-summary").first).to_have_text(
        f"Patients 51–{min(100, len(overdue))} of {len(overdue)}")
    assert shown_study_ids(page) == overdue[50:100]
    expect(page.get_by_label("Visit overdue or missed")).to_be_checked()
    for study_id in shown_study_ids(page)[:5]:
        assert row(page, study_id).locator("td.o, td.m").count() >= 1  # an overdue or missed cell on each row
    expect(page.get_by_test_id("category-counts")).to_contain_text(f"NR {counts['NR']}")  # still the study's
    shoot("study-dashboard-overdue-page2")

    page.get_by_label("Study ID").fill("ITP-0001")
    page.get_by_role("button", name="Filter").click()
    assert shown_study_ids(page) == [s for s in overdue if "ITP-0001" in s]

    page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": site["url"]}])
    page.goto(f"{site['url']}/reports/dashboard/")
    expect(page.get_by_role("heading", name="研究概览")).to_be_visible()
    expect(page.get_by_test_id("page-summary").first).to_have_text("患者 1–50，共 130 名")
    expect(page.get_by_label("访视逾期或错过")).to_be_visible()
    expect(page.locator("[data-testid=study-summary][data-loaded=true]")).to_have_count(1)
    shoot("study-dashboard-zh")
