"""Resolve a merge conflict in a .po catalogue: keep every translation from both sides.

Usage, during a conflicted merge: python scripts/catalogue_union.py locale/zh_Hans/LC_MESSAGES/django.po
It reads both sides from git's index (stages 2 and 3), regenerates the catalogue from the merged code
(make messages) and fills each entry with the translation either side had, then `git add`s the file.
Where both sides translated a message differently, "ours" wins and the message is printed for review.
"""

import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def side(path: str, stage: int) -> dict[tuple[str, str], polib.POEntry]:
    text = subprocess.run(["git", "show", f":{stage}:{path}"], cwd=ROOT, capture_output=True, text=True).stdout
    return {(e.msgctxt or "", e.msgid): e for e in polib.pofile(text) if e.translated()} if text else {}


def main(path: str) -> int:
    ours, theirs = side(path, 2), side(path, 3)
    known = {**theirs, **ours}
    for key in ours.keys() & theirs.keys():
        if ours[key].msgstr != theirs[key].msgstr or ours[key].msgstr_plural != theirs[key].msgstr_plural:
            print(f"both sides translated {key[1]!r}; kept ours: {ours[key].msgstr!r} (theirs {theirs[key].msgstr!r})")
    subprocess.run(["git", "checkout", "--ours", path], cwd=ROOT, check=True)
    subprocess.run(["make", "messages"], cwd=ROOT, check=True, capture_output=True)
    catalogue = polib.pofile(str(ROOT / path))
    for entry in catalogue:
        found = known.get((entry.msgctxt or "", entry.msgid))
        if found is not None and not entry.translated():
            entry.msgstr, entry.msgstr_plural = found.msgstr, dict(found.msgstr_plural)
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    catalogue.save()
    missing = [e.msgid for e in catalogue if not e.translated() and not e.obsolete]
    print(f"{path}: {len(catalogue) - len(missing)} translated, {len(missing)} to translate")
    subprocess.run(["git", "add", path], cwd=ROOT, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
