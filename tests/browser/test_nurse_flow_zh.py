"""The study nurse's main flow in 简体中文 (a zh-CN browser): enrol a patient, record week 1, see R (有效), correct
the count with a reason and read the history (修改历史), then open the adverse-event form and read a CTCAE
grade definition in Chinese. Each page's own labels are Chinese, none left in English, counts are shown as entered
("31", not "31.0") and dates stay ISO."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

# The English labels of each page (its headings, field labels, buttons, table headers) that must not be left
# untranslated; words of other areas' parts of the page (navigation, response summary) are not listed here.
ENGLISH = {
    "list": ["Patients", "Enrol a patient", "Study id", "Next visit", "Due now", "none scheduled"],
    "enrol": ["Enrol a patient", "Eligibility checklist", "Primary ITP", "Secondary causes excluded",
              "Previous second-line therapy", "Written informed consent", "Consent form version", "Demographics",
              "Birth date", "ITP history", "Treatment start and baseline", "Baseline platelet count",
              "WHO bleeding grade", "no bleeding", "Prior second-line therapies", "Stop date", "Cancel"],
    "patient": ["Visit schedule", "Visits", "History and enrolment", "Birth date", "Weight",
                "ITP diagnosed", "Prior therapies", "Eligibility", "Consent", "Correct details", "Rescue therapy",
                "Unscheduled visit", "Platelets", "Bleeding", "Category", "Actions", "Week 1", "Baseline",
                "Month 3", "Target", "Window", "grade 0", "months before start", "y at start"],
    "visit": ["Platelet count", "Visit date", "WHO bleeding grade", "Haemoglobin", "White cells", "Save visit",
              "Target", "window", "Cancel", "Reason for change"],
    "history": ["History of", "Back to", "Who", "What", "Values", "Reason", "created", "changed",
                "platelet count", "visit date"],
}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN"}


# Where this area's words are on each page (the patient page also holds other areas' panels: dosing, safety).
PARTS = {"patient": [".page-actions", "[data-testid=response-summary] .card-header",
                     "[data-testid=enrolment-details]", "[data-testid=schedule]", "[data-testid=visits]"]}


def page_text(page, which: str) -> str:
    parts = PARTS.get(which, ["main"])
    return "\n".join(text for selector in parts for text in page.locator(selector).all_inner_texts())


def no_english(page, which: str) -> None:
    text = page_text(page, which)
    left = [word for word in ENGLISH[which] if re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", text)]
    where = {selector: [w for w in left if w in "\n".join(page.locator(selector).all_inner_texts())]
             for selector in PARTS.get(which, ["main"])}
    context = [text[max(0, text.find(w) - 60):text.find(w) + 60] for w in left]
    assert left == [], f"English left on the {which} page: {left} ({where}) {context}"


def shots(page, shoot, name: str) -> None:
    shoot(f"zh-{name}")


def test_nurse_main_flow_in_chinese(page, site, shoot):
    page.goto(f"{site['url']}/login/")
    page.locator("input[name=username]").fill(site["users"]["nurse"].username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_url(f"{site['url']}/patients/")

    expect(page.get_by_role("heading", name="患者", exact=True)).to_be_visible()
    no_english(page, "list")
    shots(page, shoot, "patient-list")

    page.get_by_role("link", name="患者入组").click()
    expect(page.get_by_role("heading", name="患者入组")).to_be_visible()
    start = timezone.localdate() - timedelta(days=8)
    for label in ("原发免疫性血小板减少症（ITP）", "至少两次血小板计数减少", "血细胞形态正常", "体检无脾大",
                  "骨髓巨核细胞数正常或增多", "已排除继发性原因", "经一线治疗（糖皮质激素和/或IVIG）后复发或无效"):
        page.get_by_label(label, exact=True).check()
    page.get_by_label("无：西罗莫司前未用过二线治疗", exact=True).check()
    page.get_by_label("书面知情同意日期").fill((start - timedelta(days=1)).isoformat())
    page.get_by_label("知情同意书版本").fill("2.1")
    page.get_by_label("知情同意获取人").fill("王医生")
    page.get_by_label("性别").select_option("female")
    expect(page.get_by_label("性别").locator("option[value=female]")).to_have_text("女")
    page.get_by_label("出生日期").fill("1971-05-02")
    page.get_by_label("体重（kg）").fill("61.5")
    page.get_by_label("ITP确诊日期").fill("2024-01-10")
    page.get_by_label("糖皮质激素", exact=True).check()
    page.get_by_label("早期糖皮质激素治疗有效").select_option("true")
    page.get_by_label("西罗莫司开始日期（第0天，首剂）").fill(start.isoformat())
    page.get_by_label("基线血小板计数日期").fill(start.isoformat())
    page.get_by_label("基线血小板计数（×10⁹/L）").fill("12")
    page.locator("input[name=baseline_bleeding_grade][value='0']").check()
    expect(page.locator("#div_id_baseline_bleeding_grade")).to_contain_text("0 — 无出血")
    no_english(page, "enrol")
    shots(page, shoot, "enrol")
    page.get_by_role("button", name="入组", exact=True).click()

    expect(page.get_by_role("heading", name="ITP-001")).to_be_visible()
    expect(page.get_by_role("alert").first).to_contain_text("ITP-001 已入组")
    schedule = page.get_by_test_id("schedule")
    expect(schedule.locator("tr[data-code=week1]")).to_contain_text("第1周")
    expect(schedule.locator("tr[data-code=month3]")).to_contain_text("第3个月")
    expect(page.get_by_test_id("visits").locator("tr[data-code=baseline]")).to_contain_text("基线")

    schedule.locator("tr[data-code=week1]").get_by_role("link", name="记录").click()
    expect(page.locator("h1")).to_contain_text("第1周")
    page.get_by_label("血小板计数（×10⁹/L）").fill("31")
    page.locator("input[name=bleeding_grade][value='0']").check()
    no_english(page, "visit")
    shots(page, shoot, "visit-form")
    page.get_by_role("button", name="保存访视").click()

    expect(page.get_by_role("alert").first).to_contain_text("第1周 已保存：疗效 R（有效）。")
    week1 = page.get_by_test_id("visits").locator("tr[data-code=week1]")
    expect(week1.get_by_test_id("category")).to_have_text("R")
    expect(week1).to_contain_text("第1周")
    expect(week1.locator("td").nth(3)).to_have_text("31")  # a count as entered, not "31.0"
    expect(page.get_by_test_id("current-status")).to_have_text("R")
    expect(page.get_by_test_id("response-summary").locator(".card-header")).to_have_text("疗效")
    no_english(page, "patient")
    shots(page, shoot, "patient-page")

    week1.get_by_role("link", name="修改", exact=True).click()
    page.get_by_label("血小板计数（×10⁹/L）").fill("35")
    page.get_by_role("button", name="保存访视").click()
    expect(page.locator("#id_reason").locator("xpath=..")).to_contain_text("修改已保存的记录时请填写修改原因。")
    expect(page.get_by_label("血小板计数（×10⁹/L）")).to_have_value("35")  # what was typed is kept
    no_english(page, "visit")
    page.get_by_label("修改原因").fill("同一样本实验室复查")
    page.get_by_role("button", name="保存访视").click()
    week1 = page.get_by_test_id("visits").locator("tr[data-code=week1]")
    expect(week1.locator("td").nth(3)).to_have_text("35")

    week1.get_by_role("link", name="修改历史", exact=True).click()
    expect(page.locator("h1")).to_contain_text("修改历史")
    history = page.get_by_test_id("history")
    first = history.locator("tbody tr").first
    expect(first).to_contain_text("血小板计数（×10⁹/L）")
    expect(first).to_contain_text("31")
    expect(first).to_contain_text("35")
    expect(first).not_to_contain_text("31.0")
    expect(first).to_contain_text("同一样本实验室复查")
    expect(first).to_contain_text("已修改")
    expect(history.locator("tbody tr").last).to_contain_text("已创建")
    expect(history.locator("thead")).to_contain_text("原因")
    no_english(page, "history")
    shots(page, shoot, "history")

    page.get_by_role("link", name=re.compile("ITP-001 的全部修改历史")).click()
    expect(page.get_by_role("heading", name="ITP-001 的修改历史")).to_be_visible()
    expect(page.get_by_test_id("history-count")).to_contain_text("条")
    shots(page, shoot, "patient-history")

    page.goto(f"{site['url']}/patients/")
    row = page.get_by_test_id("patient-list").locator("tr[data-study-id=ITP-001]")
    expect(row).to_contain_text("第2周")  # the next visit, by its name
    no_english(page, "list")
    shots(page, shoot, "patient-list-enrolled")

    # The adverse-event form: a CTCAE term's grade definitions in Chinese, numbers as in CTCAE (stored in English).
    page.goto(f"{site['url']}/patients/ITP-001/")
    page.get_by_role("link", name="记录不良事件", exact=True).click()
    page.get_by_label("CTCAE 5.0 术语").select_option("Diarrhea")
    grades = page.get_by_test_id("grade-choice")
    expect(grades).to_contain_text("每天排便次数增加 ≥7 次；需要住院治疗；影响自理性日常生活活动")
    expect(grades).not_to_contain_text("stools")
