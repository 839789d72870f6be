"""A mutation fuzz of import_study, starting from the demo document: whatever is changed, the command either
imports or refuses with a clear message (never a traceback, never the last-resort "could not be read"), and a
refused import leaves the database as it was."""

import json
import os
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.robust.documents import database_state, demo_document
from tests.robust.fuzzing import FIGURES, FUZZ, hostile_text, write_figures

pytestmark = pytest.mark.django_db
IMPORT_EXAMPLES = int(os.environ.get("FUZZ_IMPORT_EXAMPLES", "60"))
MARK = "__MUTATED__"


def base_document() -> dict:
    """The demo document's first patient and its controls (every section present, fast to import)."""
    document = demo_document()
    return {**document, "patients": document["patients"][:1]}


def locations(node, path=()) -> list[tuple]:
    found = [path]
    if isinstance(node, dict):
        for key, child in node.items():
            found += locations(child, (*path, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += locations(child, (*path, index))
    return found


BASE = None


def base() -> dict:
    global BASE
    if BASE is None:
        BASE = base_document()
    return json.loads(json.dumps(BASE))


RAW_NUMBERS = ["9" * 5001, "-" + "9" * 400, "1e300", "-1e300", "1E400", "NaN", "Infinity", "-Infinity", "-0", "0.0",
               "1e-400", "12345678901234567890", "0.1234567891234", "3", "-3"]
DEEP = ["[" * 100_000 + "]" * 100_000, "{\"a\":" * 50 + "1" + "}" * 50, "[" * 40 + "]" * 40]


def raw_values() -> st.SearchStrategy[str]:
    """A replacement, as JSON text."""
    return st.one_of(
        st.sampled_from(RAW_NUMBERS), st.sampled_from(DEEP),
        hostile_text().map(json.dumps),
        st.sampled_from(["null", "true", "false", "[]", "{}", '[""]', '{"": ""}', '"\\u0000"', '"\\ud800"']),
        st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                  max_size=3),
                     max_leaves=6).map(json.dumps),
    )


@st.composite
def mutated(draw) -> str:
    document = base()
    places = locations(document)
    path = draw(st.sampled_from(places[1:]))
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    operation = draw(st.sampled_from(["replace", "replace", "replace", "delete", "add key", "duplicate key",
                                      "truncate"]))
    FIGURES[f"import mutation: {operation}"] += 1
    if operation == "delete":
        del parent[last]
        return json.dumps(document)
    if operation == "add key" and isinstance(parent, dict):
        parent[draw(st.sampled_from(["colour", "", "study_id ", "\u0000"]))] = 1
        return json.dumps(document)
    if operation == "duplicate key" and isinstance(parent, dict):
        parent[last] = MARK
        text = json.dumps(document)
        return text.replace(f'"{MARK}"', f"{json.dumps(base_value(path))}, {json.dumps(last)}: 0", 1)
    if operation == "truncate":
        text = json.dumps(document)
        return text[: draw(st.integers(min_value=0, max_value=len(text) - 1))]
    parent[last] = MARK
    return json.dumps(document).replace(f'"{MARK}"', draw(raw_values()), 1)


def base_value(path: tuple):
    node = base()
    for step in path:
        node = node[step]
    return node


@settings(FUZZ, max_examples=IMPORT_EXAMPLES)
@given(text=mutated())
def fuzz_once(tmp_path, text: str):
    path = tmp_path / "mutated.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    FIGURES["import documents tried"] += 1
    with transaction.atomic():
        before = database_state()
        err = StringIO()
        try:
            call_command("import_study", str(path), stdout=StringIO(), stderr=err)
            FIGURES["import: imported (a harmless mutation)"] += 1
        except CommandError as refused:
            FIGURES["import: refused with a message"] += 1
            said = f"{refused}\n{err.getvalue()}"
            assert "Traceback" not in said
            assert "could not be read (" not in said, said[:2000]  # the last resort: a case nobody foresaw
            assert str(refused).strip(), "a refusal says why"
            assert database_state() == before
        transaction.set_rollback(True)  # the next example starts from the same database


def test_mutations_of_the_demo_document_never_give_a_traceback(tmp_path):
    FIGURES["import tracebacks"] += 0
    fuzz_once(tmp_path)
    write_figures()
