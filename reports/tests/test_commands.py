"""The import_study and study_report management commands, end to end on the test database."""

import json
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, ManagementUtility, call_command
from django.db import connections

from dosing.models import DoseChange, Trough
from patients.models import Patient, PriorTherapy, StudyIdSequence
from reports import interchange
from safety.models import AdverseEvent, HealthyControl, LabSample, LabValue, TregMeasurement
from visits.models import ResponseSummary, ScheduledVisit, Visit

from .documents import document, patient, simple_document, visit, write

pytestmark = pytest.mark.django_db
NOT_SUPPORTED = "are not supported by this installation yet (use --skip-unsupported to ignore them)"
UNSUPPORTED_GENOTYPE = f"patients[0].genotype: genotypes {NOT_SUPPORTED}"


@pytest.fixture(autouse=True)
def study_criteria(settings):
    settings.RESPONSE_CRITERIA = "study"


@pytest.fixture
def fictitious(monkeypatch):
    """Every section of SPEC §6 is stored today: a patient section `genotype` and a top-level `biobank` are not."""
    monkeypatch.setattr(interchange, "UNSUPPORTED_PATIENT_KEYS", {"genotype": "genotypes"})
    monkeypatch.setattr(interchange, "UNSUPPORTED_TOP_KEYS", {"biobank": "biobank samples"})


def import_study(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_study", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args) -> tuple[str, list[str]]:
    """(the CommandError's message, the lines written to stderr) of an import that must fail."""
    err = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_study", *args, stdout=StringIO(), stderr=err)
    return str(error.value), err.getvalue().splitlines()


def written() -> tuple[int, ...]:
    return (Patient.objects.count(), Visit.objects.count(), ScheduledVisit.objects.count(),
            ResponseSummary.objects.count(), StudyIdSequence.objects.count(), Patient.history.count(),
            Visit.history.count(), ScheduledVisit.history.count(), PriorTherapy.history.count(),
            DoseChange.objects.count(), Trough.objects.count(), AdverseEvent.objects.count(),
            LabSample.objects.count(), LabValue.objects.count(), TregMeasurement.objects.count(),
            HealthyControl.objects.count(), DoseChange.history.count(), Trough.history.count(),
            AdverseEvent.history.count(), LabValue.history.count(), TregMeasurement.history.count(),
            HealthyControl.history.count())


NOTHING = (0,) * 22


# --------------------------------------------------------------------------- import_study


def test_an_import_reports_what_it_wrote(tmp_path):
    doc = document(patient(1, visits=[visit("week1", 7, 25)]), patient(2, visits=[visit("week2", 14, 46)]))
    out, err = import_study(write(tmp_path, doc, "legacy-2019.json"))
    assert out == "legacy-2019.json: imported 2 patient(s), 4 visit(s)\n"
    assert err == ""
    assert list(Patient.objects.values_list("study_id", flat=True)) == ["ITP-001", "ITP-002"]


def test_without_user_the_records_belong_to_the_import_account(tmp_path):
    import_study(write(tmp_path, simple_document(), "legacy-2019.json"))
    account = get_user_model().objects.get(username=settings.IMPORT_USERNAME)
    assert settings.IMPORT_USERNAME == "study-import"
    assert (account.first_name, account.last_name, account.has_usable_password()) == ("Study", "import", False)
    p = Patient.objects.get()
    assert p.enrolled_by == account
    rows = [*p.history.all(), *Visit.history.all(), *ScheduledVisit.history.all()]
    assert len(rows) == 1 + 3 + 8
    assert {(r.history_user_id, r.history_change_reason) for r in rows} == {
        (account.pk, "imported from legacy-2019.json")}
    week2 = Visit.objects.get(slot__code="week2")
    assert week2.history.first().history_user == account
    assert "legacy-2019.json" in week2.history.first().history_change_reason


def test_a_second_import_reuses_the_import_account(tmp_path):
    import_study(write(tmp_path, document(patient(1)), "a.json"))
    import_study(write(tmp_path, document(patient(2)), "b.json"))
    assert get_user_model().objects.filter(username=settings.IMPORT_USERNAME).count() == 1
    assert [p.history.get().history_change_reason for p in Patient.objects.order_by("study_id")] == [
        "imported from a.json", "imported from b.json"]


def test_with_user_the_records_belong_to_that_user(tmp_path, data_manager):
    import_study(write(tmp_path, simple_document(), "site-b.json"), "--user", data_manager.username)
    rows = [*Patient.history.all(), *Visit.history.all(), *ScheduledVisit.history.all(), *PriorTherapy.history.all()]
    assert len(rows) == 1 + 3 + 8 + 2
    assert {(r.history_user_id, r.history_change_reason) for r in rows} == {
        (data_manager.pk, "imported from site-b.json")}
    assert not get_user_model().objects.filter(username=settings.IMPORT_USERNAME).exists()


def test_an_unknown_user_is_refused_before_anything_is_read(tmp_path):
    message, _ = refused(write(tmp_path, simple_document()), "--user", "nobody")
    assert message == "--user nobody: no such user"
    assert written() == NOTHING


def test_a_refused_import_prints_every_problem_and_writes_nothing(tmp_path):
    doc = document(
        patient(1, visits=[visit("week1", 7, 25)]),
        patient(2),
        patient(3, visits=[visit("week1", 7, 2000), {"visit": "week2", "date": "2025-01-20", "platelet_count": 40}]),
    )
    message, lines = refused(write(tmp_path, doc, "bad.json"))
    assert message == "bad.json: nothing imported, 3 problem(s)"
    assert lines == [
        "patients[2].visits[1].platelets: must be between 0 and 1500",
        "patients[2].visits[2]: unknown key 'platelet_count'",
        "patients[2].visits[2].platelets: is required",
    ]
    assert written() == NOTHING


def test_an_existing_study_id_is_refused_the_same_way(tmp_path):
    import_study(write(tmp_path, document(patient(1)), "first.json"))
    message, lines = refused(write(tmp_path, document(patient(2), patient(1)), "second.json"))
    assert message == "second.json: nothing imported, 1 problem(s)"
    assert lines == ["patients[1].study_id: ITP-001 already exists in this installation"]
    assert list(Patient.objects.values_list("study_id", flat=True)) == ["ITP-001"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"format": "itp-trial/1", "patients": [', "not valid JSON (line 1, column 40: Expecting value)"),
        ("", "not valid JSON (line 1, column 1: Expecting value)"),
    ],
    ids=["truncated", "empty"],
)
def test_a_file_that_is_not_json_is_refused(tmp_path, content, message):
    path = write(tmp_path, content, "broken.json")
    assert refused(path)[0] == f"{path}: {message}"
    assert written() == NOTHING


def test_a_missing_file_is_refused(tmp_path):
    path = str(tmp_path / "absent.json")
    assert refused(path)[0] == f"{path}: no such file"


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('{"format": "itp-trial/1", "patients": [], "site": "Zürich"}'.encode("latin-1"))
    assert refused(str(path))[0] == f"{path}: not UTF-8 text (byte 52)"


def test_a_directory_is_refused(tmp_path):
    assert refused(str(tmp_path))[0] == f"{tmp_path}: cannot be read (Is a directory)"


def test_a_refused_import_does_not_create_the_import_account(tmp_path):
    users_before = get_user_model().objects.count()
    refused(write(tmp_path, document(patient(1, sex="?"))))
    assert get_user_model().objects.count() == users_before
    assert not get_user_model().objects.filter(username=settings.IMPORT_USERNAME).exists()


def test_a_json_value_that_is_not_a_document_is_refused(tmp_path):
    message, lines = refused(write(tmp_path, "[1, 2]", "list.json"))
    assert (message, lines) == ("list.json: nothing imported, 1 problem(s)", ["(document): must be a JSON object"])


@pytest.mark.usefixtures("fictitious")
def test_unsupported_sections_are_refused_unless_skip_unsupported(tmp_path):
    path = write(tmp_path, document(patient(1, genotype={"FCGR2A": "H/R"}, treg_before=5.6),
                                    biobank=[{"sample": "BB-01"}], controls=[{"control_id": "HC-01", "treg": 5.2}]))
    message, lines = refused(path)
    assert message == "study.json: nothing imported, 2 problem(s)"
    assert lines == [f"biobank: biobank samples {NOT_SUPPORTED}", UNSUPPORTED_GENOTYPE]
    assert written() == NOTHING

    out, err = import_study(path, "--skip-unsupported")
    assert out.splitlines() == [
        "skipped (unsupported): biobank",
        "skipped (unsupported): patients[0].genotype",
        "study.json: imported 1 patient(s), 1 visit(s), 2 other record(s)",
    ]
    assert err == ""
    assert Patient.objects.get().study_id == "ITP-001"
    assert (TregMeasurement.objects.count(), HealthyControl.objects.count()) == (1, 1)


def with_sections(*, trough: dict | None = None) -> dict:
    """Every section the apps store: doses 2, troughs 2, labs 1 sample + 1 value, Treg 2, AE 1, controls 1."""
    return document(
        patient(1, visits=[visit("week1", 7, 25)],
                doses=[{"date": "2025-01-06", "mg_per_day": 2}, {"date": "2025-01-20", "mg_per_day": 1.5}],
                troughs=[trough or {"date": "2025-01-13", "ng_ml": 16.2}, {"date": "2025-02-03", "ng_ml": 9.8}],
                labs=[{"date": "2025-02-03", "values": [{"analyte": "alt", "value": 30, "unit": "U/L", "uln": 40}]}],
                treg_before=5.6, treg_after=7.8,
                adverse_events=[{"term": "Diarrhea", "grade": 1, "onset": "2025-05-20", "resolved": True,
                                 "end_date": "2025-06-01"}]),
        controls=[{"control_id": "HC-01", "treg": 5.2}],
    )


def test_the_sections_the_apps_store_are_imported_and_counted(tmp_path):
    out, err = import_study(write(tmp_path, with_sections()))
    assert out == "study.json: imported 1 patient(s), 2 visit(s), 10 other record(s)\n"
    assert err == ""
    assert written() == (1, 2, 8, 1, 1, 1, 2, 8, 2, 2, 2, 1, 1, 1, 2, 1, 2, 2, 1, 1, 2, 1)


def test_one_bad_trough_refuses_the_whole_document(tmp_path):
    path = write(tmp_path, with_sections(trough={"date": "2025-01-13", "ng_ml": 16.25}))
    message, lines = refused(path)
    assert message == "study.json: nothing imported, 1 problem(s)"
    assert lines == ["patients[0].troughs[0].ng_ml: must have at most 1 decimal place"]
    assert written() == NOTHING
    assert not get_user_model().objects.filter(username=settings.IMPORT_USERNAME).exists()


@pytest.fixture
def command_line(monkeypatch, capsys):
    """Run `manage.py ARGS` in-process: (exit status, stdout, stderr). The test's connection is kept open."""
    monkeypatch.setattr(connections, "close_all", lambda: None)

    def run(*args: str) -> tuple[int, str, str]:
        try:
            ManagementUtility(["manage.py", *args]).execute()
            status = 0
        except SystemExit as exit_:
            status = exit_.code
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run


@pytest.mark.usefixtures("fictitious")
def test_the_exit_status_is_non_zero_when_the_import_is_refused(tmp_path, command_line):
    path = write(tmp_path, document(patient(1, genotype={}), patient(2, visits=[visit("week1", 7, -4)])))
    status, out, err = command_line("import_study", path)
    assert status == 1
    assert out == ""
    assert err.splitlines() == [
        UNSUPPORTED_GENOTYPE,
        "patients[1].visits[1].platelets: must be between 0 and 1500",
        "CommandError: study.json: nothing imported, 2 problem(s)",
    ]
    assert written() == NOTHING


@pytest.mark.usefixtures("fictitious")
def test_the_exit_status_is_zero_when_the_import_succeeds(tmp_path, command_line):
    path = write(tmp_path, document(patient(1, genotype={})))
    status, out, err = command_line("import_study", path, "--skip-unsupported")
    assert (status, out.splitlines(), err) == (
        0, ["skipped (unsupported): patients[0].genotype", "study.json: imported 1 patient(s), 1 visit(s)"], "")


def test_the_exit_status_is_non_zero_when_a_stored_section_has_a_problem(tmp_path, command_line):
    path = write(tmp_path, with_sections(trough={"date": "2025-01-13"}))
    status, out, err = command_line("import_study", path, "--skip-unsupported")
    assert (status, out) == (1, "")
    assert err.splitlines() == [
        "patients[0].troughs[0].ng_ml: is required",
        "CommandError: study.json: nothing imported, 1 problem(s)",
    ]
    assert written() == NOTHING


def test_the_exit_status_is_zero_when_the_stored_sections_are_imported(tmp_path, command_line):
    status, out, err = command_line("import_study", write(tmp_path, with_sections()))
    assert (status, out.splitlines(), err) == (
        0, ["study.json: imported 1 patient(s), 2 visit(s), 10 other record(s)"], "")


# --------------------------------------------------------------------------- study_report


def report() -> dict:
    """The documented part of `study_report --json` (a later section, e.g. a Friedman test, may follow it)."""
    out = StringIO()
    call_command("study_report", "--json", stdout=out)
    parsed = json.loads(out.getvalue())
    return {key: parsed[key] for key in ("baseline", "timepoints")}


def empty(code: str) -> dict:
    return {"visit": code, "n": 0, "NR": 0, "R": 0, "CR": 0, "NE": 0, "orr": None, "median_platelets": None}


def four_patients() -> dict:
    """Hand-classified under the study's rules (CR: P > 100; R: P > 30 and P >= 2B; no bleeding documented)."""
    return document(
        patient(1, baseline=12, visits=[
            visit("week1", 7, 25),  # NR: not > 30
            visit("week2", 14, 46),  # R: > 30 and >= 24
            visit("month1", 28, 150),  # CR
            visit("month4", 112, 200),  # unscheduled: not in any timepoint
        ]),
        patient(2, baseline=20, visits=[
            visit("week1", 7, 45),  # R: >= 40
            visit("week2", 14, 39),  # NR: < 40
            visit("month1", 28, 120, bleeding=...),  # NE: bleeding not recorded, could be CR
        ]),
        patient(3, baseline=8, visits=[
            visit("week1", 7, 16, bleeding=True),  # NR: bleeding
            visit("week2", 14, 101, bleeding=..., who_bleeding_grade=0),  # CR
            visit("unscheduled", 21, 500),  # on week3's day, but unscheduled: never counted
            visit("month1", 28, 30),  # NR: not > 30
        ]),
        patient(4, baseline=30, visits=[
            visit("week2", 14, 60),  # R: exactly 2 x 30
            visit("month1", 28, 25, bleeding=...),  # NR from the count alone
            visit("month3", 84, 100),  # R: not > 100, but > 30 and >= 60
        ]),
    )


def test_study_report_json_after_an_import(tmp_path):
    call_command("import_study", write(tmp_path, four_patients()), stdout=StringIO())
    assert report() == {
        "baseline": {"n": 4, "median_platelets": 16.0},  # 8 12 20 30
        "timepoints": [
            # 16 25 45
            {"visit": "week1", "n": 3, "NR": 2, "R": 1, "CR": 0, "NE": 0, "orr": 0.3333, "median_platelets": 25.0},
            # 39 46 60 101
            {"visit": "week2", "n": 4, "NR": 1, "R": 2, "CR": 1, "NE": 0, "orr": 0.75, "median_platelets": 53.0},
            empty("week3"),
            # 25 30 120 150
            {"visit": "month1", "n": 4, "NR": 2, "R": 0, "CR": 1, "NE": 1, "orr": 0.25, "median_platelets": 75.0},
            empty("month2"),
            {"visit": "month3", "n": 1, "NR": 0, "R": 1, "CR": 0, "NE": 0, "orr": 1.0, "median_platelets": 100.0},
            empty("month6"),
        ],
    }
    best = dict(ResponseSummary.objects.values_list("patient__study_id", "best_response"))
    current = dict(ResponseSummary.objects.values_list("patient__study_id", "current_status"))
    assert best == {"ITP-001": "CR", "ITP-002": "R", "ITP-003": "CR", "ITP-004": "R"}
    assert current == {"ITP-001": "CR", "ITP-002": "NR", "ITP-003": "NR", "ITP-004": "R"}


def test_study_report_json_of_an_empty_study():
    assert report() == {
        "baseline": {"n": 0, "median_platelets": None},
        "timepoints": [empty(code) for code in ("week1", "week2", "week3", "month1", "month2", "month3", "month6")],
    }


def test_study_report_json_keeps_its_key_order():
    out = StringIO()
    call_command("study_report", "--json", stdout=out)
    parsed = json.loads(out.getvalue())
    assert list(parsed)[:2] == ["baseline", "timepoints"]
    assert list(parsed["baseline"]) == ["n", "median_platelets"]
    assert list(parsed["timepoints"][0]) == ["visit", "n", "NR", "R", "CR", "NE", "orr", "median_platelets"]


def test_study_report_text_after_an_import(tmp_path):
    call_command("import_study", write(tmp_path, four_patients()), stdout=StringIO())
    out = StringIO()
    call_command("study_report", stdout=out)
    assert out.getvalue().splitlines() == [
        "baseline  n=4  median platelets=16.0",
        "visit      n  NR   R  CR  NE    ORR  median",
        "week1      3   2   1   0   0    33%    25.0",
        "week2      4   1   2   1   0    75%    53.0",
        "week3      0   0   0   0   0      —       —",
        "month1     4   2   0   1   1    25%    75.0",
        "month2     0   0   0   0   0      —       —",
        "month3     1   0   1   0   0   100%   100.0",
        "month6     0   0   0   0   0      —       —",
    ]


def test_study_report_json_adds_the_papers_tables_after_the_existing_keys(tmp_path):
    call_command("import_study", write(tmp_path, four_patients()), stdout=StringIO())
    out = StringIO()
    call_command("study_report", "--json", stdout=out)
    parsed = json.loads(out.getvalue())
    keys = list(parsed)
    assert keys[:2] == ["baseline", "timepoints"]
    for key in ("table1", "table2_test", "table2_rates", "table3_normality", "table4", "table5"):
        assert key in keys and keys.index(key) > keys.index("treg"), key
    assert parsed["table1"]["n"] == 4 and parsed["table1"]["sex"]["female"] == {"n": 4, "percent": 100.0}
    # week1 NR 2 R 1; week2 NR 1 R 2 CR 1; month1 NR 2 CR 1 (NE left out); month3 R 1
    assert parsed["table2_test"]["table"] == [[2, 1, 0], [1, 2, 1], [2, 0, 1], [0, 1, 0]]
    assert parsed["table2_test"]["method"] == "exact"
    assert [r["evaluated"] for r in parsed["table2_rates"]] == [3, 4, 0, 4, 0, 1, 0]
    assert parsed["table4"]["note"] == "too_few" and parsed["table5"]["overall"]["f"] is None
    json.dumps(parsed, allow_nan=False)  # no NaN or infinity anywhere: strict JSON
