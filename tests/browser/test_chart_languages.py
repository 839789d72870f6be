"""The physician's patient dashboard read in 简体中文 (a zh-CN browser): the chart's axis titles, legends and
tooltips are Chinese, read from the charts' configuration; screenshots at 1280 and 768 px."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import PASSWORD, enrol, record

pytestmark = pytest.mark.browser
HAN = re.compile(r"[\u4e00-\u9fff]")

CHART_WORDS = """() => {
    const words = {};
    for (const id of ['platelet-chart', 'drug-chart', 'ae-chart']) {
        const chart = Chart.getChart(id);
        words[id] = {
            legends: chart.data.datasets.map(d => d.label).filter(label => label !== 'band-low'),
            axes: Object.values(chart.options.scales).filter(s => s.title && s.title.display)
                .map(s => s.title.text),
        };
    }
    const drug = Chart.getChart('drug-chart');
    const trough = drug.data.datasets[3];
    words.trough_tooltip = drug.options.plugins.tooltip.callbacks.label({raw: trough.data[0], dataset: trough});
    const dose = drug.data.datasets[2];
    words.dose_tooltip = drug.options.plugins.tooltip.callbacks.label({raw: dose.data[0], dataset: dose});
    const ae = Chart.getChart('ae-chart');
    words.ae_tooltip = ae.options.plugins.tooltip.callbacks.label({dataIndex: 1});
    const platelets = Chart.getChart('platelet-chart');
    const week2 = platelets.data.datasets[0].data[2];
    words.point_tooltip = platelets.options.plugins.tooltip.callbacks.afterLabel({raw: week2});
    return words;
}"""


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN"}


@pytest.fixture
def patient(site):
    from dosing.tests.factories import dose, trough
    from safety.tests.builders import event

    today = timezone.localdate()
    nurse = site["users"]["nurse"]
    patient = enrol(nurse, start=today - timedelta(days=40), baseline=12, today=today)
    record(patient, nurse, "week1", day=7, platelets=25, today=today)
    record(patient, nurse, "week2", day=14, platelets=48, grade=1, today=today)
    record(patient, nurse, "week3", day=21, platelets=110, today=today)
    dose(patient, nurse, day=0, mg=2, today=today)
    dose(patient, nurse, day=8, mg=1, phase="adjustment", today=today)
    trough(patient, nurse, day=7, ng_ml="27.7", today=today)
    trough(patient, nurse, day=17, ng_ml="11.2", today=today)
    start = patient.start_date
    event(patient, nurse, on=start + timedelta(days=20), term="Rash acneiform", grade=1, today=today,
          end_date=start + timedelta(days=27), outcome="recovered")
    event(patient, nurse, on=start + timedelta(days=30), term="Diarrhea", grade=2, today=today)
    return patient


def test_the_patient_dashboard_chart_speaks_chinese(page, site, patient):
    page.goto(f"{site['url']}/login/")
    page.locator("#id_username").fill(site["users"]["physician"].username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form:has(#id_username) button[type=submit]").click()
    page.wait_for_url(f"{site['url']}/patients/")
    page.goto(f"{site['url']}/reports/patients/{patient.study_id}/")
    page.wait_for_function("() => window.Chart && ['platelet-chart', 'drug-chart', 'ae-chart']"
                           ".every(id => Chart.getChart(id))")
    assert page.locator("h1").inner_text() == f"{patient.study_id} · 概览"
    words = page.evaluate(CHART_WORDS)
    assert words["platelet-chart"] == {
        "legends": ["血小板（×10⁹/L）", "有效（R）阈值 30", "完全反应（CR）阈值 100", "2 × 基线"],
        "axes": ["血小板 ×10⁹/L"]}
    assert words["drug-chart"] == {"legends": ["目标范围 5–15 ng/mL", "西罗莫司 mg/天", "谷浓度 ng/mL"],
                                   "axes": ["剂量 mg/天", "谷浓度 ng/mL"]}
    assert words["ae-chart"] == {"legends": ["不良事件"], "axes": ["距第 0 天（首次服用西罗莫司）的天数", "不良事件"]}
    start = patient.start_date
    assert words["trough_tooltip"] == f"{start + timedelta(days=7)}：谷浓度 27.7 ng/mL（超出 5–15）"
    assert words["dose_tooltip"].startswith(f"自 {start}（第 0 天）起：2 mg/天，") and HAN.search(words["dose_tooltip"])
    assert words["ae_tooltip"] == f"2级，{start + timedelta(days=30)} – 持续中"
    assert words["point_tooltip"].startswith(f"{start + timedelta(days=14)} · ")
    assert "出血分级 1" in words["point_tooltip"]
    for width in (1280, 768):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)
        page.screenshot(path=f"/work/notes/shots/zh-patient-dashboard-{width}.png", full_page=True)


def login_as(page, site, role: str):
    page.goto(f"{site['url']}/login/")
    page.locator("#id_username").fill(site["users"][role].username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form:has(#id_username) button[type=submit]").click()
    page.wait_for_url(f"{site['url']}/patients/")


def shots(page, name: str):
    for width in (1280, 768):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(200)
        page.screenshot(path=f"/work/notes/shots/zh-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_reports_inbox_and_monitoring_pages_speak_chinese(browser, site, patient):
    from inbox.scan import reminders_scan
    from monitoring.services import query_raise

    reminders_scan(today=timezone.localdate())
    visit = patient.visits.get(slot__code="week1")
    query_raise(record_type="visit", record_id=visit.pk, field="platelets", text="请核对血小板计数。",
                user=site["users"]["monitor"])
    pages = {  # role -> (address, a Chinese heading, the screenshot's name)
        "nurse": [("/inbox/", "待办事项", "inbox")],
        "monitor": [("/monitoring/queries/", "数据质疑", "queries")],
        "data_manager": [("/reports/exports/", "导出", "exports")],
        "physician": [("/reports/response/", "研究报告", "study-report")],
    }
    for role, visits in pages.items():
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        login_as(page, site, role)
        for address, heading, name in visits:
            page.goto(f"{site['url']}{address}")
            title = page.locator("h1").first.inner_text()
            assert title.startswith(heading), (address, title)
            shots(page, name)
        context.close()
