"""The JavaScript catalogue is kept by the browser: its address names the language and the compiled catalogues'
digest, and answers with a year of immutable caching (before: asked for and rebuilt on every page)."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from itp_trial import catalogue

pytestmark = pytest.mark.django_db


def address_on_page(client, language: str) -> str:
    client.cookies["django_language"] = language
    page = client.get(reverse("login")).content.decode()
    return re.search(r'<script src="([^"]*/i18n/js/[^"]*)"', page).group(1).replace("&amp;", "&")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_page_names_a_catalogue_the_browser_keeps_for_a_year(client, language):
    address = address_on_page(client, language)
    assert f"l={language}" in address and f"v={catalogue.catalogue_digest()}" in address
    client.cookies.clear()  # the address alone decides the language
    answer = client.get(address, HTTP_ACCEPT_LANGUAGE="de")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/javascript")
    assert set(answer["Cache-Control"].split(", ")) == {"public", "max-age=31536000", "immutable"}
    body = answer.content.decode()
    assert "django.gettext" in body
    assert ("\\u6253\\u5f00\\u65e5\\u5386" in body) == (language == "zh-hans")  # "Open calendar" in Chinese


def test_the_english_catalogue_has_no_chinese(client):
    body = client.get(address_on_page(client, "en")).content.decode()
    assert "\\u6253\\u5f00" not in body and "打开" not in body


@pytest.mark.parametrize("query", [{"l": "zh-hans", "v": "000000000000"}, {"l": "xx", "v": "any"}, {}])
def test_another_address_gets_the_current_catalogue_without_the_long_caching(client, query):
    answer = client.get(reverse("javascript_catalog"), query, HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert answer.status_code == 200 and "django.gettext" in answer.content.decode()
    assert "immutable" not in answer.get("Cache-Control", "") and "Accept-Language" in answer["Vary"]


def test_the_catalogue_is_built_once_per_language(client):
    address = address_on_page(client, "zh-hans")
    client.get(address)
    built = catalogue._built.cache_info()
    client.get(address)
    assert (catalogue._built.cache_info().hits, catalogue._built.cache_info().misses) == (built.hits + 1,
                                                                                          built.misses)


def test_the_digest_follows_the_compiled_catalogues(tmp_path):
    compiled = tmp_path / "zh_Hans" / "LC_MESSAGES" / "djangojs.mo"
    compiled.parent.mkdir(parents=True)
    digests = []
    with override_settings(LOCALE_PATHS=[tmp_path]):
        for content in (b"first", b"second", b"second"):
            compiled.write_bytes(content)
            catalogue.catalogue_digest.cache_clear()
            digests.append(catalogue.catalogue_digest())
    catalogue.catalogue_digest.cache_clear()
    assert digests[0] != digests[1] == digests[2]
