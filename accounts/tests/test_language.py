"""The language switch: Django's set_language behind it, the signed-in user's choice kept (audited) and applied
at every sign-in; without a choice the browser's Accept-Language decides, else the site language (zh-hans)."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.languages import language_of, preferred_language
from accounts.models import AccountChange, Preference
from accounts.services import language_set
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
COOKIE = settings.LANGUAGE_COOKIE_NAME


def switch(client, language, next_url="/patients/"):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def test_the_switch_on_the_login_page_sets_the_cookie_only(client):
    page = client.get(reverse("login")).content.decode()
    assert f'action="{reverse("set_language")}"' in page and 'value="en"' in page and 'value="zh-hans"' in page
    response = switch(client, "en", reverse("login"))
    assert response.status_code == 302 and response.url == reverse("login")
    assert response.cookies[COOKIE].value == "en"
    assert response.cookies[COOKIE]["max-age"] == settings.LANGUAGE_COOKIE_AGE  # outlives the browser session
    assert Preference.objects.count() == 0
    assert "Log in" in client.get(reverse("login")).content.decode()


def test_a_signed_in_users_choice_is_kept_and_audited(client, nurse):
    client.force_login(nurse)
    response = switch(client, "zh-hans")
    assert response.status_code == 302 and response.url == "/patients/"
    assert response.cookies[COOKIE].value == "zh-hans"
    assert preferred_language(nurse) == "zh-hans" and language_of(nurse) == "zh-hans"
    change = AccountChange.objects.get(account=nurse, kind=AccountChange.Kind.LANGUAGE)
    assert (change.changed_by, change.field, change.old, change.new) == (nurse, "language", "", "zh-hans")
    assert change.changed_at is not None
    switch(client, "en")
    switch(client, "en")  # the same again: no new row
    rows = AccountChange.objects.filter(account=nurse, kind="language").order_by("changed_at", "id")
    assert [(r.old, r.new) for r in rows] == [("", "zh-hans"), ("zh-hans", "en")]


@pytest.mark.parametrize("language", ["fr", "", "zh-hans; DROP", "EN"])
def test_an_unknown_language_changes_nothing(client, nurse, language):
    client.force_login(nurse)
    response = switch(client, language)
    assert response.status_code == 302
    assert COOKIE not in response.cookies
    assert not Preference.objects.filter(user=nurse).exclude(language="").exists()
    assert not AccountChange.objects.filter(kind="language").exists()


def test_the_service_refuses_a_language_the_site_does_not_have(nurse):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        language_set(user=nurse, language="de")


def test_the_switch_goes_back_only_to_this_site(client, nurse):
    client.force_login(nurse)
    assert switch(client, "en", "https://evil.example/").url == "/"


def test_the_switch_is_post_only(client):
    assert client.get(reverse("set_language")).status_code == 405


@pytest.mark.parametrize("preference, cookie, accept, expected", [
    ("en", "zh-hans", "zh-CN", "en"),        # the user's choice wins over the cookie and the browser
    ("zh-hans", "en", "en-GB", "zh-hans"),
    ("", "en", "zh-CN", "en"),               # no choice yet: the cookie (the login page's switch) stays
    ("", None, "en-GB,en;q=0.9", "en"),      # first visit: the browser's Accept-Language
    ("", None, "zh-CN,zh;q=0.9", "zh-hans"),
    ("", None, "fr-FR", "zh-hans"),          # a language the site does not have: the site language
])
def test_the_language_after_signing_in(client, nurse, settings, preference, cookie, accept, expected):
    settings.LANGUAGE_CODE = "zh-hans"  # the site language (the test settings keep English for the other tests)
    if preference:
        Preference.objects.create(user=nurse, language=preference)
    if cookie:
        client.cookies[COOKIE] = cookie
    response = client.post(reverse("login"), {"username": nurse.username, "password": PASSWORD},
                           HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE=accept)
    assert page.headers["Content-Language"] == expected
    assert f'<html lang="{expected}">' in page.content.decode()


def test_the_navigation_offers_the_other_language(client, nurse):
    client.force_login(nurse)
    page = client.get(reverse("patients:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="language-switch"' in page
    assert 'aria-label="简体中文" title="简体中文" data-language="zh-hans">中文</button>' in page
    assert 'data-language="en"' not in page
    page = client.get(reverse("patients:list"), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert 'aria-label="English" title="English" data-language="en">EN</button>' in page


def test_the_javascript_catalogue_is_served_before_the_app_scripts(client, nurse):
    client.force_login(nurse)
    page = client.get(reverse("patients:list")).content.decode()
    catalogue = page.index(f'<script src="{reverse("javascript_catalog")}?l=')
    assert catalogue < page.index("js/datepicker.js") < page.index("js/session-timeout.js")
    client.logout()
    script = client.get(reverse("javascript_catalog"), HTTP_ACCEPT_LANGUAGE="zh-CN")  # the login page needs it too
    assert script.status_code == 200 and script["Content-Type"].startswith("text/javascript")
    body = script.content.decode()
    assert "django.gettext" in body and "interpolate" in body
    assert "\\u6253\\u5f00\\u65e5\\u5386" in body or "打开日历" in body  # "Open calendar" in Chinese
