"""How a value becomes a CSV cell in every export (pure).

UTF-8, a header row, ISO dates, times in UTC with a Z, booleans as true/false, empty for missing.
A text cell that a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage
return) is neutralised with a leading apostrophe. Numbers are never altered (a day of -3 stays -3).

For Excel (which reads a CSV without a byte-order mark in the system's code page, garbling Chinese on Chinese
Windows), `with_bom` puts the UTF-8 byte-order mark EF BB BF before the first byte. Only when asked: the
download page's links ask for it; `export_csv` and machine readers get the plain bytes unless they ask.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import UTC, date
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LINE_END = "\n"
BOM = "\ufeff".encode()  # EF BB BF


def neutralise(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "datetime":
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if kind == "date":
        return value.isoformat() if isinstance(value, date) else str(value)
    if kind in ("integer", "decimal"):
        return str(value) if not isinstance(value, float) else str(Decimal(str(value)))
    return neutralise(str(value))


class _Line:
    """A file-like object that hands back what csv.writer wrote."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()

    def write(self, text: str) -> int:
        return self.buffer.write(text)

    def take(self) -> str:
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text


def csv_lines(header: Iterable[str], rows: Iterable[Iterable[str]], *, chunk_rows: int = 2000) -> Iterator[bytes]:
    """Encode a header and rows of already formatted cells as UTF-8 CSV, in chunks of `chunk_rows` rows."""
    line = _Line()
    writer = csv.writer(line, lineterminator=LINE_END)
    writer.writerow(header)
    pending = 0
    for row in rows:
        writer.writerow(row)
        pending += 1
        if pending >= chunk_rows:
            yield line.take().encode()
            pending = 0
    rest = line.take()
    if rest:
        yield rest.encode()


def with_bom(chunks: Iterable[bytes], *, bom: bool) -> Iterator[bytes]:
    """`chunks` unchanged, preceded by the UTF-8 byte-order mark when `bom` is true."""
    if bom:
        yield BOM
    yield from chunks
