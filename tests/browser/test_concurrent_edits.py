"""Two people on one casebook: a stale edit shows what the other changed and keeps what was typed; a signature
after a nurse's change is refused with the changed record named; a double click saves one record."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dosing.models import Trough
from tests.browser.conftest import ARTIFACTS
from tests.factories import PASSWORD, enrol, record, user_with_role
from visits.models import Visit
from visits.services import VisitValues, visit_update

pytestmark = pytest.mark.browser


def log_in(page, site, user):
    page.goto(f"{site['url']}/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{site['url']}/patients/")


def shoot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1280, 768):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def patient(site):
    today = timezone.localdate()
    nurse = site["users"]["nurse"]
    patient = enrol(nurse, start=today - timedelta(days=16), today=today)
    record(patient, nurse, "week1", day=7, platelets=40, today=today)
    return patient


def test_nurse_b_sees_nurse_as_change_keeps_her_entry_and_reapplies_it(browser, site, patient):
    nurse_a = site["users"]["nurse"]
    nurse_b = user_with_role("nurse", username="nurse-b")
    nurse_b.first_name, nurse_b.last_name = "Beatriz", "Okafor"
    nurse_b.save()
    visit = patient.visits.get(slot__code="week1")
    a_context, b_context = browser.new_context(), browser.new_context()
    a, b = a_context.new_page(), b_context.new_page()
    log_in(a, site, nurse_a)
    log_in(b, site, nurse_b)
    for page in (a, b):  # both open the week-1 visit's edit page
        page.goto(f"{site['url']}/patients/{patient.study_id}/")
        page.get_by_test_id("visits").locator("tr[data-code=week1]").get_by_role("link", name="Edit").click()
        expect(page.get_by_label("Platelet count (×10⁹/L)")).to_have_value("40")

    a.get_by_label("Platelet count (×10⁹/L)").fill("55")
    a.get_by_label("Reason for change").fill("transcription error, source says 55")
    a.get_by_role("button", name="Save visit").click()
    expect(a.get_by_role("alert").first).to_contain_text("Week 1 saved")

    b.get_by_label("Platelet count (×10⁹/L)").fill("44")
    b.locator("input[name=bleeding_grade][value='1']").check()
    b.get_by_label("Reason for change").fill("lab called back with 44")
    b.get_by_role("button", name="Save visit").click()

    conflict = b.get_by_test_id("conflict")
    expect(conflict).to_contain_text(f"Visit was changed by {nurse_a.get_full_name()} since you opened it: nothing "
                                     "was saved.")
    row = conflict.locator("tr[data-field=platelets]")
    expect(row.get_by_test_id("by")).to_have_text(nurse_a.get_full_name())
    expect(row.get_by_test_id("now")).to_have_text("55.0")
    expect(row).to_contain_text("40.0")
    expect(row.get_by_test_id("yours")).to_have_text("44")
    expect(row).to_contain_text("transcription error, source says 55")
    expect(b.get_by_label("Platelet count (×10⁹/L)")).to_have_value("44")  # what B typed is kept
    expect(b.locator("input[name=bleeding_grade][value='1']")).to_be_checked()
    expect(b.get_by_label("Reason for change")).to_have_value("lab called back with 44")
    assert Visit.objects.get(pk=visit.pk).platelets == Decimal(55)
    shoot(b, "stale-edit-conflict")

    b.get_by_role("button", name="Save my entry on the current version").click()
    expect(b.get_by_role("alert").first).to_contain_text("Week 1 saved")
    saved = Visit.objects.get(pk=visit.pk)
    assert (saved.platelets, saved.bleeding_grade, saved.version) == (Decimal(44), 1, 3)
    b.get_by_test_id("visits").locator("tr[data-code=week1]").get_by_role("link", name="History").click()
    expect(b.locator("main")).to_contain_text("lab called back with 44")
    expect(b.locator("main")).to_contain_text("transcription error, source says 55")
    a_context.close()
    b_context.close()


def test_a_signature_after_a_nurses_change_is_refused_with_the_record_named(browser, page, login, site, patient):
    nurse = site["users"]["nurse"]
    visit = patient.visits.get(slot__code="week1")
    login("physician")
    page.goto(f"{site['url']}/patients/{patient.study_id}/")
    page.get_by_role("link", name="Sign casebook").click()
    expect(page.get_by_test_id("covered")).to_contain_text("Visits (2)")

    visit_update(visit=visit, user=nurse, reason="typo", version=visit.version, today=timezone.localdate(),
                 values=VisitValues(visit_date=visit.visit_date, platelets=Decimal(48), bleeding_grade=0))

    page.get_by_label("Your password (re-enter to sign)").fill(PASSWORD)
    page.get_by_role("button", name="Sign").click()
    stale = page.get_by_test_id("stale-casebook")
    expect(stale).to_contain_text("Nothing was signed")
    expect(stale.get_by_test_id("difference")).to_contain_text(str(visit))
    expect(stale.get_by_test_id("difference")).to_contain_text("40.0 → 48.0")
    expect(stale.get_by_test_id("difference")).to_contain_text(nurse.get_full_name())
    shoot(page, "sign-casebook-refused")

    page.get_by_label("Your password (re-enter to sign)").fill(PASSWORD)
    page.get_by_role("button", name="Sign").click()
    expect(page.get_by_role("alert").first).to_contain_text("signed up to")


def test_a_double_click_on_save_sends_one_form_and_records_one_trough(browser, site, patient):
    context = browser.new_context()
    page = context.new_page()
    log_in(page, site, site["users"]["nurse"])
    page.goto(f"{site['url']}/dosing/patients/{patient.study_id}/troughs/new/")
    page.get_by_label("Sirolimus level (ng/mL)").fill("8.5")
    page.get_by_label("Hours since the last dose").fill("24")
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    page.get_by_role("button", name="Save level").dblclick()
    page.wait_for_url(f"{site['url']}/patients/{patient.study_id}/")
    expect(page.get_by_test_id("troughs").locator("tbody tr")).to_have_count(1)
    assert len(posts) == 1
    assert Trough.objects.filter(patient=patient).count() == 1
    context.close()


def test_a_lost_answer_and_the_browsers_retry_record_one_trough(browser, site, patient):
    """The first post reaches the server but its answer never comes back (network); the browser offers to try
    again and sends the same form a second time: the server recognises the page and records nothing twice."""
    context = browser.new_context()
    page = context.new_page()
    log_in(page, site, site["users"]["nurse"])
    page.goto(f"{site['url']}/dosing/patients/{patient.study_id}/troughs/new/")
    page.get_by_label("Sirolimus level (ng/mL)").fill("8.5")
    page.get_by_label("Hours since the last dose").fill("24")
    posts, lost = [], []

    def lose_the_first_answer(route):
        if route.request.method == "POST":
            posts.append(route.request.post_data)
        if route.request.method == "POST" and not lost:
            lost.append(route.fetch(max_redirects=0).status)  # the server saved it and answered...
            route.abort("timedout")  # ...but the answer is lost on the way back
        else:
            route.continue_()

    page.route("**/troughs/new/", lose_the_first_answer)
    page.get_by_role("button", name="Save level").click()
    expect(page.get_by_role("heading", name="This site can’t be reached")).to_be_visible()
    assert lost == [302] and Trough.objects.filter(patient=patient).count() == 1
    page.reload()  # the browser's retry: the same POST again
    page.wait_for_url(f"{site['url']}/patients/{patient.study_id}/")
    assert len(posts) == 2 and posts[0] == posts[1]  # the very same form, token included
    expect(page.get_by_role("alert").filter(has_text="This page was already sent")).to_be_visible()
    assert Trough.objects.filter(patient=patient).count() == 1
    shoot(page, "double-submission-message")
    context.close()
