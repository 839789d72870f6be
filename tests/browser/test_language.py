"""The language switch in the browser: chosen on the login page before signing in, changed in the navigation
(kept as the user's own choice), and applied again at the next sign-in whatever the browser asks for; the
JavaScript catalogue gives the static scripts their words in the page's language."""

import pytest
from playwright.sync_api import expect

from accounts.languages import preferred_language
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, site, *, username_label, password_label, button):
    page.get_by_label(username_label).fill(site["users"]["nurse"].username)
    page.get_by_label(password_label).fill(PASSWORD)
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_url(f"{site['url']}/patients/")


def test_switch_on_the_login_page_then_in_the_navigation_and_keep_it(page, site, shoot):
    page.context.set_extra_http_headers({"Accept-Language": "en-GB,en;q=0.9"})
    page.goto(f"{site['url']}/login/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    switch = page.get_by_test_id("language-switch")
    switch.get_by_role("button", name="简体中文").click()
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    shoot("language-login-zh")

    sign_in(page, site, username_label="用户名", password_label="密码", button="登录")
    nav = page.locator("nav.navbar")
    expect(nav.get_by_role("link", name="患者", exact=True)).to_be_visible()
    expect(nav.get_by_role("button", name="退出登录")).to_be_visible()
    expect(nav.get_by_test_id("whoami")).to_contain_text("研究护士")
    expect(switch.get_by_role("button", name="English")).to_be_visible()  # the navigation offers the other one

    # The static scripts read the JavaScript catalogue: the date picker's button speaks Chinese.
    page.goto(f"{site['url']}/patients/enrol/")
    expect(page.get_by_test_id("date-toggle").first).to_have_attribute("aria-label", "打开日历")
    page.get_by_test_id("date-toggle").first.click()
    expect(page.locator(".flatpickr-calendar.open .flatpickr-weekday").first).to_have_text("一")
    shoot("language-enrol-zh")

    page.get_by_test_id("language-switch").get_by_role("button", name="English").click()
    page.wait_for_url(f"{site['url']}/patients/enrol/")
    expect(nav.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_test_id("date-toggle").first).to_have_attribute("aria-label", "Open calendar")
    assert preferred_language(site["users"]["nurse"]) == "en"

    # Sign out; a browser that asks for Chinese and has no cookie left: the nurse's own choice wins at sign-in.
    nav.get_by_role("button", name="Log out").click()
    page.context.clear_cookies()
    page.context.set_extra_http_headers({"Accept-Language": "zh-CN,zh;q=0.9"})
    page.goto(f"{site['url']}/login/")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()  # a first visit follows the browser
    sign_in(page, site, username_label="用户名", password_label="密码", button="登录")
    expect(nav.get_by_role("link", name="Patients", exact=True)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(f"{site['url']}/help/")
    expect(page.get_by_role("heading", name="Help: Study nurse")).to_be_visible()


def test_shared_pages_read_in_chinese(page, site, shoot):
    """The navigation, help, account pages and error pages in 简体中文 (screenshots at 1280 and 768 px)."""
    page.context.set_extra_http_headers({"Accept-Language": "zh-CN,zh;q=0.9"})
    page.goto(f"{site['url']}/login/")
    page.get_by_label("用户名").fill(site["users"]["data_manager"].username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(f"{site['url']}/patients/")
    nav = page.locator("nav.navbar")
    for name in ("患者", "研究概览", "研究报告", "导出", "用户", "帮助"):
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(nav.get_by_test_id("whoami")).to_contain_text("数据管理员")

    page.goto(f"{site['url']}/help/nurse/")
    expect(page.get_by_role("heading", name="帮助：研究护士")).to_be_visible()
    expect(page.get_by_test_id("help-page")).to_contain_text("您在床旁的一天")
    expect(page.get_by_test_id("help-page").get_by_role("link", name="待办事项")).to_be_visible()
    shoot("zh-help-nurse")

    page.goto(f"{site['url']}/accounts/")
    expect(page.get_by_role("heading", name="账户", exact=True)).to_be_visible()
    expect(page.get_by_test_id("accounts")).to_contain_text("已启用")
    shoot("zh-accounts")
    page.get_by_role("link", name="登录记录").click()
    expect(page.get_by_test_id("sign-ins")).to_contain_text("已登录")
    expect(page.get_by_test_id("sign-ins")).to_contain_text("登录页面")

    page.goto(f"{site['url']}/no-such-page/")
    expect(page.get_by_test_id("not-found")).to_have_text("未找到")
    expect(page.get_by_role("button", name="返回")).to_be_visible()
    shoot("zh-not-found")
