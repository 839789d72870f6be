"""Compile every committed .po catalogue (locale/ and each app's locale/) into the .mo file Django reads.

Pure Python (polib), so `make run` and `make test` need no gettext tools; the .mo files are not committed.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", "staticfiles"}


def catalogues() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.po") if not SKIP.intersection(p.relative_to(ROOT).parts))


def main() -> int:
    for po_path in catalogues():
        catalogue = polib.pofile(str(po_path))
        catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
        print(f"compiled {po_path.relative_to(ROOT)}: {catalogue.percent_translated()}% translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
