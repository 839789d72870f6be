"""CSV for Excel: the UTF-8 byte-order mark only when asked (the Exports page's links ask; bare addresses, the
export_csv command and machine readers get the same bytes as before), and codebooks in the reader's language
with the column names unchanged."""

import csv
import io
import re
import zipfile
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from reports.csvformat import BOM, with_bom
from reports.datasets import DATASETS
from reports.exporting import codebook_csv
from tests.factories import enrol, record

pytestmark = pytest.mark.django_db
HAN = re.compile(r"[\u4e00-\u9fff]")
TODAY = date(2025, 12, 1)


@pytest.fixture(autouse=True)
def site_language_after():
    """A request in Chinese leaves its language active in this thread: give the next test the site's again."""
    yield
    translation.deactivate()


@pytest.fixture
def study(nurse):
    patient = enrol(nurse, start=date(2025, 3, 3), baseline=12, today=TODAY)
    record(patient, nurse, "week1", day=7, platelets=31, today=TODAY)
    return patient


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize("bom, expected", [(False, [b"a"]), (True, [BOM, b"a"])])
def test_with_bom(bom, expected):
    assert list(with_bom([b"a"], bom=bom)) == expected and BOM == b"\xef\xbb\xbf"


@pytest.mark.parametrize("query, starts_with_bom", [
    ("", False), ("?bom=1", True), ("?bom=true", True), ("?bom=0", False), ("?bom=", False), ("?bom=x", False)])
@pytest.mark.parametrize("url", ["reports:export", "reports:codebook"])
def test_the_byte_order_mark_only_when_asked(client, study, data_manager, url, query, starts_with_bom):
    client.force_login(data_manager)
    data = body(client.get(reverse(url, args=["visits"]) + query))
    assert data.startswith(BOM) is starts_with_bom
    assert data.removeprefix(BOM).startswith(b"study_id," if url == "reports:export" else b"column,label,")


def test_the_page_links_ask_for_the_mark_and_the_zip_members_carry_it(client, study, data_manager):
    client.force_login(data_manager)
    page = client.get(reverse("reports:exports")).content.decode()
    assert f'{reverse("reports:export", args=["visits"])}?bom=1' in page
    assert f'{reverse("reports:codebook", args=["visits"])}?bom=1' in page
    assert f'{reverse("reports:export_zip")}?bom=1' in page
    for query, expected in (("?bom=1", True), ("", False)):
        archive = zipfile.ZipFile(io.BytesIO(body(client.get(reverse("reports:export_zip") + query))))
        assert {archive.read(name).startswith(BOM) for name in archive.namelist()} == {expected}


@pytest.mark.parametrize("extra, starts_with_bom", [([], False), (["--bom"], True)])
@pytest.mark.parametrize("codebook", [[], ["--codebook"]])
def test_the_command_writes_the_mark_only_with_bom(study, tmp_path, extra, starts_with_bom, codebook):
    out = tmp_path / "out.csv"
    call_command("export_csv", "visits", "--out", str(out), *codebook, *extra)
    assert out.read_bytes().startswith(BOM) is starts_with_bom
    assert out.read_bytes().removeprefix(BOM).startswith(b"column," if codebook else b"study_id,")


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_column_names_are_the_same_in_both_languages(study, name):
    dataset = DATASETS[name]
    with translation.override("en"):
        english = rows(codebook_csv(dataset))
    with translation.override("zh-hans"):
        chinese = rows(codebook_csv(dataset))
    assert list(english[0]) == list(chinese[0]) == ["column", "label", "type", "unit", "allowed"]
    assert [r["column"] for r in english] == [r["column"] for r in chinese] == [c.name for c in dataset.columns]
    assert [r["type"] for r in english] == [r["type"] for r in chinese]


@pytest.mark.parametrize("name", ["audit", "queries"])
def test_codebooks_are_written_in_the_readers_language(client, data_manager, name):
    client.force_login(data_manager)
    english = rows(client.get(reverse("reports:codebook", args=[name])).content)
    chinese = rows(client.get(reverse("reports:codebook", args=[name]), HTTP_ACCEPT_LANGUAGE="zh-hans").content)
    assert not any(HAN.search(r["label"]) for r in english)
    assert all(HAN.search(r["label"]) for r in chinese)
    assert [r["column"] for r in english] == [r["column"] for r in chinese]


def test_the_exports_page_in_chinese(client, study, data_manager):
    client.force_login(data_manager)
    page = client.get(reverse("reports:exports"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "下载全部" in page and "稽查轨迹" in page and "编码手册" in page
