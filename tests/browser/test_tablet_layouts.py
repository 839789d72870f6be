"""Tablet and phone layouts: at 1280, 768 and 390 px no page scrolls sideways, every main action (buttons, row-action
menus, filter and pager links) lies inside the viewport, and touch targets are at least 44 px high.

One test per role walks its pages at the three widths and reports every problem at once; screenshots of each page
at each width are left in test-artifacts/ (tablet-<page>-<width>.png)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from dosing.tests.factories import dosing_records
from safety.tests.builders import safety_records
from tests.browser.conftest import ARTIFACTS
from tests.factories import enrol, record

pytestmark = pytest.mark.browser

WIDTHS = (1280, 768, 390)
MIN_TARGET = 44
# The main actions of a page: buttons and button-like links in the page body (the navbar is checked for overflow
# only: below 992 px it folds into its menu button).
ACTIONS = "main .btn, main button, main .page-link, main .dropdown-toggle"
# Form controls must be reachable too: inside the viewport and not cut off by a sideways-scrolling table wrapper.
CONTROLS = "main input:not([type=hidden]):not(.date-twin), main select, main textarea"

LAYOUT_PROBE = """([actions, controls]) => {
  const vw = window.innerWidth;
  const out = {scrollWidth: document.documentElement.scrollWidth, innerWidth: vw, outside: [], small: []};
  const check = (el, isAction) => {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || style.visibility === "hidden") return;  // not shown at this width
    const name = (el.innerText || el.getAttribute("aria-label") || el.name || el.tagName).trim().slice(0, 40);
    const span = `[${Math.round(r.left)}..${Math.round(r.right)}]`;
    let box = {left: 0, right: vw};
    const scroller = el.closest(".table-responsive");
    if (scroller) box = scroller.getBoundingClientRect();
    const cut = r.left < Math.max(0, box.left) - 0.5 || r.right > Math.min(vw, box.right) + 0.5;
    if (cut) out.outside.push(`${name} ${span}`);
    if (isAction && r.height < 43.5) out.small.push(`${name} (${Math.round(r.width)}x${Math.round(r.height)})`);
  };
  document.querySelectorAll(actions).forEach((el) => check(el, true));
  document.querySelectorAll(controls).forEach((el) => check(el, el.type !== "radio" && el.type !== "checkbox"));
  return out;
}"""


def check_page(page, name: str, url: str) -> list[str]:
    """Open `url` at each width; the problems found, as sentences."""
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        found = page.evaluate(LAYOUT_PROBE, [ACTIONS, CONTROLS])
        if found["scrollWidth"] > found["innerWidth"]:
            problems.append(f"{name} @{width}: scrolls sideways ({found['scrollWidth']} > {found['innerWidth']})")
        if found["outside"]:
            problems.append(f"{name} @{width}: actions or fields outside the screen: {found['outside']}")
        if found["small"]:
            problems.append(f"{name} @{width}: touch targets under {MIN_TARGET} px: {found['small']}")
        page.screenshot(path=str(ARTIFACTS / f"tablet-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    return problems


@pytest.fixture
def study(site):
    """A patient with every kind of record (visits, doses, trough, con-med, labs, adverse events) and a fresh one."""
    ARTIFACTS.mkdir(exist_ok=True)
    today = timezone.localdate()
    nurse = site["users"]["nurse"]
    full = enrol(nurse, start=today - timedelta(days=15), baseline=12, today=today)
    week1 = record(full, nurse, "week1", day=7, platelets=45, today=today)
    ids = dosing_records(full, nurse, today=today)
    ids |= safety_records(full, nurse, today=today)
    fresh = enrol(nurse, start=today - timedelta(days=6), baseline=20, today=today)
    return {"full": full, "fresh": fresh, "visit": week1, **ids}


def nurse_pages(study) -> dict[str, str]:
    full, fresh = study["full"].study_id, study["fresh"].study_id
    return {
        "patient-list": reverse("patients:list"),
        "patient-list-filtered": reverse("patients:list") + "?status=on_treatment&due=visit",
        "patient-page": reverse("patients:detail", args=[full]),
        "patient-page-fresh": reverse("patients:detail", args=[fresh]),
        "enrol": reverse("patients:enrol"),
        "patient-edit": reverse("patients:edit", args=[full]),
        "visit-form": reverse("visits:create", args=[fresh, "week1"]),
        "visit-edit": reverse("visits:edit", args=[study["visit"].pk]),
        "unscheduled-visit": reverse("visits:create", args=[full, "unscheduled"]),
        "rescue": reverse("visits:rescue", args=[full]),
        "dose-form": reverse("dosing:dose_create", args=[full]),
        "dose-edit": reverse("dosing:dose_edit", args=[study["dose_pk"]]),
        "trough-form": reverse("dosing:trough_create", args=[full]),
        "con-med-form": reverse("dosing:con_med_create", args=[full]),
        "stop-form": reverse("dosing:stop", args=[full]),
        "lab-form": reverse("safety:lab_create", args=[full]),
        "lab-value-edit": reverse("safety:lab_value_edit", args=[study["value_pk"]]),
        "ae-form": reverse("safety:ae_create", args=[full]),
        "ae-edit": reverse("safety:ae_edit", args=[study["ae_pk"]]),
        "treg-form": reverse("safety:treg_create", args=[full]),
        "visit-history": reverse("visits:history", args=[study["visit"].pk]),
        "inbox": reverse("inbox:inbox"),
        "help": reverse("help", args=["nurse"]),
    }


def test_nurse_pages_fit_tablet_and_phone(login, site, study):
    page = login("nurse")
    problems = []
    for name, url in nurse_pages(study).items():
        problems += check_page(page, name, site["url"] + url)
    assert not problems, "\n".join(problems)


def test_physician_pages_fit_tablet_and_phone(login, site, study):
    page = login("physician")
    full = study["full"].study_id
    pages = {
        "physician-patient-page": reverse("patients:detail", args=[full]),
        "sign-visit": reverse("review:sign_visit", args=[study["visit"].pk]),
        "sign-casebook": reverse("review:sign_casebook", args=[full]),
        "proposal": reverse("safety:proposal", args=[study["proposal_pk"]]),
        "trough-accept": reverse("dosing:trough_accept", args=[study["trough_pk"]]),
        "off-study": reverse("patients:off_study", args=[full]),
        "physician-inbox": reverse("inbox:inbox"),
        "drug-monitoring": reverse("dosing:monitoring"),
    }
    problems = []
    for name, url in pages.items():
        problems += check_page(page, name, site["url"] + url)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", [768, 390])
def test_row_actions_open_in_a_menu_inside_the_screen(login, site, study, width):
    """Below 1200 px each row's Edit / Sign / History sit in one "Actions" menu that opens inside the viewport."""
    page = login("physician")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site["url"] + reverse("patients:detail", args=[study["full"].study_id]))
    row = page.get_by_test_id("visits").locator("tr[data-code=week1]")
    expect(row.get_by_role("link", name="Edit")).to_be_hidden()
    row.get_by_role("button", name="Actions").click()
    for name in ("Edit", "Sign", "History"):
        link = row.get_by_role("link", name=name)
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width and box["height"] >= MIN_TARGET
    page.screenshot(path=str(ARTIFACTS / f"tablet-row-actions-open-{width}.png"))
    row.get_by_role("link", name="History").click()
    expect(page.get_by_test_id("history")).to_be_visible()


def test_tables_become_cards_on_a_phone(login, site, study):
    page = login("nurse")
    page.goto(site["url"] + reverse("patients:detail", args=[study["full"].study_id]))
    visits = page.get_by_test_id("visits")
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(visits.locator("thead")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 900})
    expect(visits.locator("thead")).to_be_hidden()  # each row is a card; each value carries its label
    week1 = visits.locator("tr[data-code=week1]")
    label = week1.locator("td[data-label=Platelets]").evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Platelets"'
    assert week1.evaluate("tr => getComputedStyle(tr).display") == "grid"
