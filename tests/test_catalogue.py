"""The 简体中文 catalogue is complete, faithful to its placeholders, and in step with the code.

- every message of every .po file under locale/zh_Hans is translated, and none is fuzzy (polib);
- a translation carries exactly the placeholders of its English (`%(name)s`, `%s`, `{name}`), so a sentence never
  loses a value nor asks for one that is not given;
- the committed catalogue holds exactly the messages the code marks: `makemessages` (the Makefile's options, GNU
  gettext) runs over the code into a copy of locale/, and its message ids are compared with the committed ones.
  After marking or changing a string: `make messages`, then translate.
"""

import re
import shutil
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES"
CATALOGUES = sorted(LOCALE.glob("*.po"))
DOMAINS = ("django", "djangojs")
# %(name)s / %(name)d …, positional %s / %d / %i / %f (not %%), and str.format / format_lazy fields {name}.
PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[-#0 +]*\d*(?:\.\d+)?[sdifr]|\{[A-Za-z_][\w.]*\}")


def _placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text.replace("%%", "")))


def _entries(path: Path) -> list[polib.POEntry]:
    return [entry for entry in polib.pofile(str(path)) if not entry.obsolete]


def _name(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt} | {entry.msgid!r}" if entry.msgctxt else repr(entry.msgid)


def test_both_catalogues_are_there():
    assert {path.stem for path in CATALOGUES} == set(DOMAINS)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.name)
def test_every_message_is_translated_and_none_is_fuzzy(path):
    catalogue = polib.pofile(str(path))
    assert not catalogue.metadata_is_fuzzy, f"{path.name}: the header is marked fuzzy"
    assert catalogue.metadata.get("Language") == "zh_Hans"
    fuzzy = [_name(e) for e in catalogue.fuzzy_entries()]
    untranslated = [_name(e) for e in catalogue.untranslated_entries()]
    assert fuzzy == [], f"{path.name}: {len(fuzzy)} fuzzy: {fuzzy[:20]}"
    assert untranslated == [], f"{path.name}: {len(untranslated)} untranslated: {untranslated[:20]}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.name)
def test_translations_keep_the_placeholders_of_their_english(path):
    wrong = []
    for entry in _entries(path):
        if entry.msgid_plural:
            wanted = _placeholders(entry.msgid_plural)
            for form, text in entry.msgstr_plural.items():
                if text and _placeholders(text) != wanted and _placeholders(text) != _placeholders(entry.msgid):
                    wrong.append(f"{_name(entry)}[{form}]: {sorted(wanted.elements())} → {text!r}")
        elif entry.msgstr and _placeholders(entry.msgstr) != _placeholders(entry.msgid):
            wrong.append(f"{_name(entry)}: {sorted(_placeholders(entry.msgid).elements())} → {entry.msgstr!r}")
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("english, chinese, same", [
    ("%(n)s visits due", "%(n)s 次访视到期", True),
    ("%(n)s visits due", "%(count)s 次访视到期", False),  # a renamed placeholder
    ("%(n)s visits due", "访视到期", False),  # a lost value
    ("%(a)s and %(b)s", "%(b)s 和 %(a)s", True),  # order may change with the language
    ("%s of %s", "%s 中的 %s", True),
    ("%s of %s", "%s", False),
    ("{role} (sign-off)", "{role}（签名）", True),
    ("{role} (sign-off)", "{角色}（签名）", False),
    ("100%% done", "100%% 完成", True),
    ("%(n)d days", "%(n)s 天", False),  # a number formatted as text
])
def test_the_placeholder_comparison(english, chinese, same):
    assert (_placeholders(english) == _placeholders(chinese)) is same


def _makemessages_options() -> list[str]:
    """The --ignore patterns of `make messages`, read from the Makefile so the two cannot drift apart."""
    makefile = (ROOT / "Makefile").read_text()
    command = re.search(r"^MAKEMESSAGES :=(.*?)(?:\n\S|\Z)", makefile, re.S | re.M).group(1)
    return re.findall(r"--ignore '([^']+)'", command)


def _message_ids(path: Path) -> set[tuple]:
    return {(e.msgctxt, e.msgid, e.msgid_plural) for e in _entries(path)}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """makemessages over the code into a copy of locale/ (the committed catalogue is never touched): the code is
    reached through symbolic links, the copy of locale/ is the only locale directory under the working directory."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.fail("GNU gettext (xgettext, msgmerge) is needed: apt-get install gettext")
    work = tmp_path_factory.mktemp("catalogue")
    for entry in ROOT.iterdir():
        if entry.name not in {"locale", ".git", ".venv", "staticfiles", "test-artifacts", "node_modules"}:
            (work / entry.name).symlink_to(entry)
    shutil.copytree(ROOT / "locale", work / "locale")
    mp = pytest.MonkeyPatch()
    mp.chdir(work)
    mp.setattr(settings, "LOCALE_PATHS", [work / "locale"])
    try:
        for domain in DOMAINS:
            call_command("makemessages", locale=["zh_Hans"], domain=domain, no_location=True, no_obsolete=True,
                         symlinks=True, ignore_patterns=_makemessages_options(), verbosity=0)
    finally:
        mp.undo()
    return work / "locale" / "zh_Hans" / "LC_MESSAGES"


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_committed_catalogue_is_up_to_date_with_the_code(extracted, domain):
    committed = _message_ids(LOCALE / f"{domain}.po")
    from_code = _message_ids(extracted / f"{domain}.po")
    missing = sorted(str(k[1] if not k[0] else k[:2]) for k in from_code - committed)
    stale = sorted(str(k[1] if not k[0] else k[:2]) for k in committed - from_code)
    assert (missing, stale) == ([], []), (
        f"{domain}.po is out of date with the code: run `make messages` and translate. "
        f"Marked in the code but not in the catalogue ({len(missing)}): {missing[:20]}; "
        f"in the catalogue but no longer in the code ({len(stale)}): {stale[:20]}")
