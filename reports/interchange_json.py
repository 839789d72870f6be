"""Reading an interchange document's text strictly: what Python's json module lets through silently, refused.

- A key given twice in one object (json keeps the last one without a word).
- Nesting deeper than MAX_DEPTH (the format needs 6 levels; 100,000 would exhaust the interpreter's stack).
- Numbers are read as they are written: an integer too long for Python's int() (over 4,300 digits) becomes a
  Decimal, NaN and Infinity become floats, so that the plausibility rules (itp_trial.plausibility) refuse them
  with their JSON path instead of the reader failing without one.
"""

import json
import re
from decimal import Decimal

MAX_DEPTH = 32
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.S)


class DocumentUnreadable(ValueError):
    """The text is not a document this installation reads; the message says why, for a person."""


def nesting_depth(text: str) -> int:
    """How deeply arrays and objects nest in JSON `text` (brackets inside strings do not count)."""
    depth = deepest = 0
    for token in _TOKENS.finditer(text):
        char = token.group()
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                return deepest
        elif char in "]}":
            depth -= 1
    return deepest


def _object(pairs: list[tuple[str, object]]) -> dict:
    document: dict = {}
    for key, value in pairs:
        if key in document:
            raise DocumentUnreadable(f"the key {key!r} appears twice in one object (which one is meant?)")
        document[key] = value
    return document


def _integer(text: str) -> int | Decimal:
    return int(text) if len(text) <= 30 else Decimal(text)


def read_document(text: str):
    """The JSON value in `text`; DocumentUnreadable (never another exception) when it cannot be read."""
    if nesting_depth(text) > MAX_DEPTH:
        raise DocumentUnreadable(f"nested more than {MAX_DEPTH} levels deep")
    try:
        return json.loads(text, object_pairs_hook=_object, parse_int=_integer, parse_constant=float)
    except json.JSONDecodeError as exc:
        raise DocumentUnreadable(f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from exc
    except RecursionError as exc:  # cannot happen below MAX_DEPTH; kept so that nothing else escapes
        raise DocumentUnreadable("nested too deeply") from exc
