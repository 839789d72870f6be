"""Accounts in the browser: the login lockout, the sign-in list, a password link from issue to use, a sign-off role
requested by one data manager and approved by a second, and the account audit."""

import re

import pytest
from playwright.sync_api import expect

from accounts.services import role_request_create, role_request_decide
from tests.factories import PASSWORD, user_with_role

pytestmark = pytest.mark.browser
NEW_PASSWORD = "a-fresh-long-passphrase-42"


def fill_login(page, site, username, password):
    page.goto(f"{site['url']}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_five_wrong_passwords_lock_the_login_with_a_time_to_retry(page, site, shoot):
    for _ in range(4):
        fill_login(page, site, "nurse", "not-the-password")
        expect(page.get_by_text("Please enter a correct username and password")).to_be_visible()
    fill_login(page, site, "nurse", "not-the-password")
    expect(page.get_by_role("heading", name="Sign-in locked for now")).to_be_visible()
    expect(page.get_by_test_id("retry-at")).to_have_text(re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d"))
    shoot("login-locked")
    fill_login(page, site, "nurse", PASSWORD)  # the right password, too early
    expect(page.get_by_test_id("lockout")).to_be_visible()
    page.get_by_role("link", name="Back to the login page").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()


def test_data_manager_sees_sign_ins(page, site, login, shoot):
    fill_login(page, site, "monitor", "not-the-password")
    login("data_manager")
    page.get_by_role("link", name="Users", exact=True).click()
    page.get_by_role("link", name="Sign-ins").click()
    rows = page.get_by_test_id("sign-ins").locator("tbody tr")
    expect(rows.filter(has_text="monitor")).to_contain_text("wrong password")
    expect(rows.filter(has_text="data_manager").first).to_contain_text("signed in")
    expect(rows.first).to_contain_text("127.0.0.1")
    page.get_by_label("Username").fill("monitor")
    page.get_by_role("button", name="Show").click()
    expect(rows).to_have_count(1)
    shoot("sign-ins")


def mail_outbox():
    from django.core import mail

    return getattr(mail, "outbox", [])


def test_password_link_from_issue_to_use(page, site, login, browser, shoot):
    nurse = site["users"]["nurse"]
    nurse.email = "nurse@example.org"
    nurse.save(update_fields=["email"])
    login("data_manager")
    page.goto(f"{site['url']}/accounts/")
    page.get_by_role("link", name="nurse", exact=True).click()
    page.get_by_role("link", name="New password link").click()
    page.get_by_role("button", name="Issue a one-time link").click()
    expect(page.get_by_text("Give the reason for this change.")).to_be_visible()
    page.get_by_label("Reason for this change").fill("forgot the password")
    page.get_by_role("button", name="Issue a one-time link").click()
    expect(page.get_by_test_id("link-sent")).to_contain_text("n***@example.org")
    expect(page.get_by_text("/accounts/password/")).to_have_count(0)  # the data manager never sees the link
    shoot("password-link")
    [mail] = mail_outbox()
    assert mail.to == ["nurse@example.org"]
    link = re.search(r"http\S+/accounts/password/\S+/", mail.body).group(0)
    page.reload()
    expect(page.get_by_test_id("link-sent")).to_have_count(0)

    owner = browser.new_context().new_page()  # the nurse, on her own computer
    owner.goto(link)
    owner.locator("#id_new_password1").fill("short")
    owner.locator("#id_new_password2").fill("short")
    owner.get_by_role("button", name="Set the password").click()
    expect(owner.get_by_text("This password is too short.")).to_be_visible()
    owner.locator("#id_new_password1").fill(NEW_PASSWORD)
    owner.locator("#id_new_password2").fill(NEW_PASSWORD)
    owner.get_by_role("button", name="Set the password").click()
    expect(owner.get_by_text("Your password is set.")).to_be_visible()
    owner.get_by_label("Username").fill("nurse")
    owner.get_by_label("Password").fill(NEW_PASSWORD)
    owner.get_by_role("button", name="Log in").click()
    expect(owner.get_by_test_id("whoami")).to_contain_text("Study nurse")
    owner.goto(link)
    expect(owner.get_by_test_id("link-invalid")).to_be_visible()
    owner.context.close()


def test_sign_off_role_needs_a_second_data_manager(page, site, login, shoot):
    user_with_role("data_manager", "dm2")
    login("data_manager")
    page.goto(f"{site['url']}/accounts/{site['users']['monitor'].pk}/role/")
    page.get_by_label("Role", exact=True).select_option("physician")
    page.get_by_label("Reason for the role change").fill("joined as trial physician")
    shoot("role-request")
    page.get_by_role("button", name="Change the role").click()
    expect(page.get_by_text("a second data manager approves or refuses it")).to_be_visible()
    expect(page.get_by_test_id("role")).to_have_text("Monitor")
    page.get_by_role("link", name="Role requests").click()
    page.get_by_role("link", name="Decide").click()
    expect(page.get_by_test_id("own-request")).to_be_visible()  # not for the one who asked
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)
    page.get_by_role("button", name="Log out").click()

    page.goto(f"{site['url']}/login/")
    page.get_by_label("Username").fill("dm2")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Users", exact=True).click()
    page.get_by_role("link", name="1 role request").click()
    page.get_by_role("link", name="Decide").click()
    page.get_by_label("Reason for the decision").fill("appointment letter seen")
    shoot("role-approval")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("now has Physician")).to_be_visible()
    expect(page.get_by_test_id("requests")).to_contain_text("dm2")
    page.goto(f"{site['url']}/accounts/{site['users']['monitor'].pk}/")
    expect(page.get_by_test_id("role")).to_have_text("Physician")


def test_a_stale_approval_page_says_it_was_decided(page, site, login):
    users = site["users"]
    dm2, dm3 = user_with_role("data_manager", "dm2"), user_with_role("data_manager", "dm3")
    request = role_request_create(account=users["nurse"], role="physician", by=dm2, reason="covers nights")
    login("data_manager")
    page.goto(f"{site['url']}/accounts/requests/{request.pk}/")
    page.get_by_label("Reason for the decision").fill("fine by me")
    role_request_decide(request_id=request.pk, approve=False, by=dm3, reason="not qualified")  # meanwhile
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_test_id("decided")).to_contain_text("Nothing was changed")
    expect(page.get_by_test_id("decided")).to_contain_text("Refused by dm3")


def test_account_audit_lists_creation_and_deactivation(page, site, login, shoot):
    login("data_manager")
    page.goto(f"{site['url']}/accounts/")
    page.get_by_role("link", name="New account").click()
    page.get_by_label("Username").fill("nina")
    page.get_by_label("First name").fill("Nina")
    page.get_by_label("Role", exact=True).select_option("nurse")
    page.locator("#id_email").fill("nina@example.org")
    page.get_by_label("Reason for the new account").fill("new study nurse")
    page.get_by_role("button", name="Create the account").click()
    expect(page.get_by_test_id("link-sent")).to_be_visible()
    page.get_by_role("link", name="Back to the account").click()
    page.get_by_role("link", name="Change name, e-mail or activation").click()
    page.get_by_label("Active (can sign in)").uncheck()
    page.get_by_label("Reason for this change").fill("left the unit")
    page.get_by_role("button", name="Save the change").click()
    expect(page.get_by_text("Account nina changed.")).to_be_visible()
    page.get_by_role("link", name="Account audit").click()
    rows = page.get_by_test_id("changes").locator("tbody tr")
    expect(rows.nth(0)).to_contain_text("left the unit")
    expect(rows.nth(0)).to_contain_text("inactive")
    expect(rows.filter(has_text="Account created")).to_contain_text("new study nurse")
    shoot("account-audit")


def test_account_pages_fit_tablet_and_phone(page, site, login):
    from django.urls import reverse

    from accounts.services import password_link_issue
    from tests.browser.test_tablet_layouts import check_page

    users = site["users"]
    dm2 = user_with_role("data_manager", "dm2")
    request = role_request_create(account=users["nurse"], role="physician", by=dm2, reason="covers nights")
    users["monitor"].email = "monitor@example.org"
    users["monitor"].save(update_fields=["email"])
    token = password_link_issue(account=users["monitor"], by=dm2, reason="forgot it")
    fill_login(page, site, "monitor", "not-the-password")
    login("data_manager")
    pages = {
        "accounts": reverse("accounts:list"),
        "account": reverse("accounts:detail", args=[users["nurse"].pk]),
        "account-new": reverse("accounts:create"),
        "account-edit": reverse("accounts:edit", args=[users["nurse"].pk]),
        "account-role": reverse("accounts:role", args=[users["nurse"].pk]),
        "account-password-link": reverse("accounts:password_link", args=[users["nurse"].pk]),
        "role-requests": reverse("accounts:requests"),
        "role-decide": reverse("accounts:decide", args=[request.pk]),
        "sign-ins": reverse("accounts:sign_ins"),
        "account-audit": reverse("accounts:changes"),
        "set-password": reverse("accounts:set_password", args=[token]),
    }
    problems = []
    for name, url in pages.items():
        problems += check_page(page, name, site["url"] + url)
    assert not problems, "\n".join(problems)
