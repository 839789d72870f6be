"""import_study on hostile documents: each refused with a clear message (no traceback) and the database unchanged."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reports.interchange_json import MAX_DEPTH, DocumentUnreadable, nesting_depth, read_document
from tests.robust.documents import database_state, demo_document

pytestmark = pytest.mark.django_db


def first_patient(text_edit):
    """The demo document as text, with `text_edit` applied to its first patient's JSON."""
    document = demo_document()
    patient = json.dumps(document["patients"][0])
    document["patients"][0] = "__PATIENT__"
    return json.dumps(document).replace('"__PATIENT__"', text_edit(patient))


def set_value(key: str, raw: str):
    """Replace the first patient's `key` with the raw JSON text `raw`."""
    def edit(patient: str) -> str:
        data = json.loads(patient)
        data[key] = "__VALUE__"
        return json.dumps(data).replace('"__VALUE__"', raw)
    return edit


def first_visit_platelets(raw: str):
    def edit(patient: str) -> str:
        data = json.loads(patient)
        data["visits"][0]["platelets"] = "__VALUE__"
        return json.dumps(data).replace('"__VALUE__"', raw)
    return edit


def first_dose(key: str, raw: str):
    def edit(patient: str) -> str:
        data = json.loads(patient)
        data["doses"][0][key] = "__VALUE__"
        return json.dumps(data).replace('"__VALUE__"', raw)
    return edit


def first_lab_value(**raw):
    def edit(patient: str) -> str:
        data = json.loads(patient)
        value = data["labs"][0]["values"][0]
        for key in raw:
            value[key] = f"__{key}__"
        text = json.dumps(data)
        for key, raw_text in raw.items():
            text = text.replace(f'"__{key}__"', raw_text)
        return text
    return edit


CASES = {
    "5001-digit number": (first_patient(set_value("weight_kg", "9" * 5001)), "patients[0].weight_kg: must be a number"),
    "year 1 start": (first_patient(set_value("start_date", '"0001-01-01"')), "start_date: must not be before 1900"),
    "year 1 birth": (first_patient(set_value("birth_date", '"0001-01-01"')), "birth_date: must not be before 1900"),
    "year 9999 start": (first_patient(set_value("start_date", '"9999-12-31"')), "patients[0].start_date: "),
    "consent in the future": (first_patient(set_value("diagnosis_date", '"2099-01-01"')),
                              "diagnosis_date: cannot be in the future"),
    "1e300 platelets": (first_patient(first_visit_platelets("1e300")),
                        "visits[0].platelets: must be between 0 and 1500"),
    "1e400 platelets": (first_patient(first_visit_platelets("1e400")), "visits[0].platelets: must be a number"),
    "NaN": (first_patient(first_visit_platelets("NaN")), "visits[0].platelets: must be a number"),
    "-Infinity": (first_patient(first_visit_platelets("-Infinity")), "visits[0].platelets: must be a number"),
    "NUL in text": (first_patient(set_value("study_id", '"ITP-\\u0000-1"')),
                    "patients[0].study_id: must be a study id like ITP-001"),
    "NUL in a key": (first_patient(set_value("x\x00", "1")), "patients[0]: unknown key"),
    "duplicated key": (first_patient(lambda p: p.replace('"study_id": ', '"study_id": "ITP-900", "study_id": ', 1)),
                       "the key 'study_id' appears twice in one object"),
    "negative LLN": (first_patient(first_lab_value(lln="-1", uln="40")), "values[0].lln: must be at least 0"),
    "LLN above ULN": (first_patient(first_lab_value(lln="50", uln="40")), "values[0].lln: must be below the ULN"),
    "1e300 weight": (first_patient(set_value("weight_kg", "1e300")), "patients[0].weight_kg: must be between"),
    "NUL in free text": (first_patient(first_dose("prescribed_by", '"Dr \\u0000Wang"')),
                         "doses[0].prescribed_by: must not contain control characters"),
    "100,000 levels": ("[" * 100_000 + "]" * 100_000, f"nested more than {MAX_DEPTH} levels deep"),
    "deep inside a patient": (first_patient(set_value("notes", "[" * 5000 + "]" * 5000)), "nested more than"),
}


@pytest.mark.parametrize(("text", "expected"), CASES.values(), ids=CASES.keys())
def test_hostile_document_is_refused_clearly_and_changes_nothing(tmp_path, text, expected):
    path = tmp_path / "hostile.json"
    path.write_text(text, encoding="utf-8")
    before = database_state()
    err = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_study", str(path), stdout=StringIO(), stderr=err)
    said = f"{refused.value}\n{err.getvalue()}"
    assert expected in said
    assert "Traceback" not in said and "could not be read (" not in said
    assert database_state() == before


def test_the_demo_document_itself_imports(tmp_path):
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(demo_document()))
    out = StringIO()
    call_command("import_study", str(path), stdout=out, stderr=StringIO())
    assert "imported 6 patient(s)" in out.getvalue() or "imported" in out.getvalue()


@pytest.mark.parametrize(("text", "depth"), [("[]", 1), ('{"a": [{"b": []}]}', 4), ('["[[[["]', 1),
                                             ('"\\"[["', 0), ("[" * 40 + "]" * 40, MAX_DEPTH + 1)])
def test_nesting_depth_ignores_brackets_in_strings(text, depth):
    assert nesting_depth(text) == depth


@pytest.mark.parametrize("text", ["[" * 100_000, "{" * 50, '{"a": 1, "a": 2}', "nul", "1e", ""])
def test_reader_refuses_with_its_own_exception_only(text):
    with pytest.raises(DocumentUnreadable):
        read_document(text)


def test_reader_keeps_long_integers_for_the_plausibility_rules():
    from decimal import Decimal

    assert read_document("[" + "9" * 5001 + "]") == [Decimal("9" * 5001)]
    assert read_document("[12, 1.5]") == [12, 1.5]
