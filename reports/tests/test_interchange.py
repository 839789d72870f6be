"""reports.interchange.document_plan: pure validation of a whole interchange document (SPEC §6)."""

from datetime import date
from decimal import Decimal

import pytest

from patients.vocabulary import Therapy
from reports import interchange
from reports.interchange import document_plan
from visits.schedule import UNSCHEDULED

from .documents import TODAY, document, edited, on, patient, simple_document, visit

P = ("patients", 0)
V0 = (*P, "visits", 0)
V1 = (*P, "visits", 1)
THERAPIES = ", ".join(Therapy.values)


def plan_of(doc, *, existing=frozenset(), skip=False, today=TODAY):
    return document_plan(doc, today=today, existing_study_ids=set(existing), skip_unsupported=skip)


def _target(doc, keys):
    for key in keys[:-1]:
        doc = doc[key]
    return doc


def put(*keys_and_value):
    *keys, value = keys_and_value

    def edit(doc):
        _target(doc, keys)[keys[-1]] = value
    return edit


def drop(*keys):
    def edit(doc):
        del _target(doc, keys)[keys[-1]]
    return edit


def rename(*keys_and_new):
    *keys, new = keys_and_new

    def edit(doc):
        parent = _target(doc, keys)
        parent[new] = parent.pop(keys[-1])
    return edit


def both(*edits):
    def edit(doc):
        for one in edits:
            one(doc)
    return edit


def append_visit(new_visit):
    def edit(doc):
        doc["patients"][0]["visits"].append(new_visit)
    return edit


# --------------------------------------------------------------------------- a valid document


def test_a_valid_document_plans_every_field():
    doc = simple_document()
    doc["patients"][0]["visits"][1].update(haemoglobin=118.5, white_cells=5.25)
    plan, problems = plan_of(doc)
    assert problems == []
    assert plan.skipped == []
    assert len(plan.patients) == 1
    planned = plan.patients[0]
    enrolment = planned.enrolment
    assert (enrolment.study_id, enrolment.sex, enrolment.birth_date, enrolment.diagnosis_date,
            enrolment.start_date) == ("ITP-001", "female", date(1970, 5, 2), date(2019, 1, 10), date(2025, 1, 6))
    assert (enrolment.weight_kg, enrolment.early_steroid_effective, enrolment.steroid_taper_at_start) == (
        Decimal("61.5"), True, False)
    assert [t.therapy for t in enrolment.prior_therapies] == ["glucocorticoids", "tpo_ra"]
    assert (enrolment.eligibility, enrolment.consent) == (None, None)
    baseline = enrolment.baseline
    assert (baseline.visit_date, baseline.platelets, baseline.bleeding_grade, baseline.bleeding_reported) == (
        date(2025, 1, 6), Decimal(12), None, False)
    assert [(v.code, v.values.visit_date, v.values.platelets) for v in planned.visits] == [
        ("week1", date(2025, 1, 13), Decimal(25)), ("week2", date(2025, 1, 20), Decimal(46))]
    assert (planned.visits[0].values.haemoglobin, planned.visits[0].values.white_cells) == (
        Decimal("118.5"), Decimal("5.25"))


@pytest.mark.parametrize("value", [0, 1500, 1500.0, 30.5, 0.1], ids=["zero", "max", "max-float", "half", "tenth"])
def test_platelet_counts_at_and_inside_the_limits_are_accepted(value):
    plan, problems = plan_of(edited(simple_document(), put(*V1, "platelets", value)))
    assert problems == []
    assert plan.patients[0].visits[0].values.platelets == Decimal(str(value))


def test_an_empty_patient_list_is_a_valid_document():
    assert plan_of(document()) [1] == []


# --------------------------------------------------------------------------- one problem, its path, its words

NO_GRADE = drop(*V1, "bleeding")

SINGLE_PROBLEMS = [
    # visit values
    ("platelets-too-high", put(*V1, "platelets", 1600),
     ["patients[0].visits[1].platelets: must be between 0 and 1500"]),
    ("platelets-just-too-high", put(*V1, "platelets", 1500.1),
     ["patients[0].visits[1].platelets: must be between 0 and 1500"]),
    ("platelets-negative", put(*V1, "platelets", -1), ["patients[0].visits[1].platelets: must be between 0 and 1500"]),
    ("platelets-string", put(*V1, "platelets", "25"), ["patients[0].visits[1].platelets: must be a number"]),
    ("platelets-bool", put(*V1, "platelets", True), ["patients[0].visits[1].platelets: must be a number"]),
    ("platelets-missing", drop(*V1, "platelets"), ["patients[0].visits[1].platelets: is required"]),
    ("platelets-null", put(*V1, "platelets", None), ["patients[0].visits[1].platelets: is required"]),
    ("platelets-nan", put(*V1, "platelets", float("nan")), ["patients[0].visits[1].platelets: must be a number"]),
    ("platelets-infinite", put(*V1, "platelets", float("inf")), ["patients[0].visits[1].platelets: must be a number"]),
    ("platelets-two-decimals", put(*V1, "platelets", 25.55),
     ["patients[0].visits[1].platelets: must have at most 1 decimal place"]),
    ("haemoglobin-too-high", put(*V1, "haemoglobin", 300),
     ["patients[0].visits[1].haemoglobin: must be between 0 and 250"]),
    ("haemoglobin-string", put(*V1, "haemoglobin", "high"), ["patients[0].visits[1].haemoglobin: must be a number"]),
    ("white-cells-too-high", put(*V1, "white_cells", 600),
     ["patients[0].visits[1].white_cells: must be between 0 and 500"]),
    ("white-cells-negative", put(*V1, "white_cells", -0.5),
     ["patients[0].visits[1].white_cells: must be between 0 and 500"]),
    ("white-cells-three-decimals", put(*V1, "white_cells", 4.125),
     ["patients[0].visits[1].white_cells: must have at most 2 decimal places"]),
    # unknown keys
    ("unknown-visit-key", rename(*V1, "platelets", "platelet_count"),
     ["patients[0].visits[1]: unknown key 'platelet_count'", "patients[0].visits[1].platelets: is required"]),
    ("unknown-patient-key", put(*P, "name", "Jane Doe"), ["patients[0]: unknown key 'name'"]),
    ("unknown-top-key", put("site", "Beijing"), ["(document): unknown key 'site'"]),
    # document shape
    ("wrong-format", put("format", "itp-trial/2"), ["format: must be 'itp-trial/1'"]),
    ("missing-format", drop("format"), ["format: must be 'itp-trial/1'"]),
    ("patients-not-a-list", put("patients", {"ITP-001": {}}), ["patients: must be a list"]),
    ("patients-missing", drop("patients"), ["patients: must be a list"]),
    ("patient-not-an-object", put("patients", 0, "ITP-001"), ["patients[0]: must be an object"]),
    ("visit-not-an-object", put(*V1, ["week1", 25]), ["patients[0].visits[1]: must be an object"]),
    ("visit-code-missing", drop(*V1, "visit"),
     ["patients[0].visits[1].visit: is required (a schedule code, or any other code for an unscheduled visit)"]),
    ("visit-code-empty", put(*V1, "visit", ""),
     ["patients[0].visits[1].visit: is required (a schedule code, or any other code for an unscheduled visit)"]),
    # bleeding
    ("grade-too-high", both(NO_GRADE, put(*V1, "who_bleeding_grade", 5)),
     ["patients[0].visits[1].who_bleeding_grade: must be a WHO grade from 0 to 4"]),
    ("grade-negative", both(NO_GRADE, put(*V1, "who_bleeding_grade", -1)),
     ["patients[0].visits[1].who_bleeding_grade: must be a WHO grade from 0 to 4"]),
    ("grade-string", both(NO_GRADE, put(*V1, "who_bleeding_grade", "1")),
     ["patients[0].visits[1].who_bleeding_grade: must be a whole number from 0 to 4"]),
    ("grade-float", both(NO_GRADE, put(*V1, "who_bleeding_grade", 1.0)),
     ["patients[0].visits[1].who_bleeding_grade: must be a whole number from 0 to 4"]),
    ("grade-bool", both(NO_GRADE, put(*V1, "who_bleeding_grade", True)),
     ["patients[0].visits[1].who_bleeding_grade: must be a whole number from 0 to 4"]),
    ("bleeding-string", put(*V1, "bleeding", "no"), ["patients[0].visits[1].bleeding: must be true or false"]),
    ("bleeding-0", put(*V1, "bleeding", 0), ["patients[0].visits[1].bleeding: must be true or false"]),
    ("no-bleeding-but-grade-2", put(*V1, "who_bleeding_grade", 2),
     ["patients[0].visits[1]: 'bleeding' and 'who_bleeding_grade' disagree"]),
    ("bleeding-but-grade-0", both(put(*V1, "bleeding", True), put(*V1, "who_bleeding_grade", 0)),
     ["patients[0].visits[1]: 'bleeding' and 'who_bleeding_grade' disagree"]),
    # visit dates
    ("date-slashes", put(*V1, "date", "13/01/2025"),
     ["patients[0].visits[1].date: '13/01/2025' is not a date written YYYY-MM-DD"]),
    ("date-no-dashes", put(*V1, "date", "20250113"),
     ["patients[0].visits[1].date: '20250113' is not a date written YYYY-MM-DD"]),
    ("date-iso-week", put(*V1, "date", "2025-W03-1"),
     ["patients[0].visits[1].date: '2025-W03-1' is not a date written YYYY-MM-DD"]),
    ("date-impossible", put(*V1, "date", "2025-02-30"),
     ["patients[0].visits[1].date: '2025-02-30' is not a date written YYYY-MM-DD"]),
    ("date-number", put(*V1, "date", 20250113), ["patients[0].visits[1].date: must be a date written YYYY-MM-DD"]),
    ("date-missing", drop(*V1, "date"), ["patients[0].visits[1].date: is required"]),
    ("date-in-future", put(*V1, "date", "2026-01-01"),
     ["patients[0].visits[1].date: cannot be in the future (today is 2025-12-31)"]),
    ("visit-before-day-0", put(*V1, "date", on(-1)),
     ["patients[0].visits[1].date: cannot be before day 0, the first sirolimus dose (2025-01-06)"]),
    ("baseline-after-day-0", put(*V0, "date", on(1)),
     ["patients[0].visits[0].date: the baseline count must be on or before day 0 (2025-01-06)"]),
    # visits list
    ("baseline-missing", lambda doc: doc["patients"][0]["visits"].pop(0),
     ["patients[0].visits: a baseline visit is required"]),
    ("visits-empty", put(*P, "visits", []),
     ["patients[0].visits: must be a list holding at least the baseline visit"]),
    ("visits-missing", drop(*P, "visits"),
     ["patients[0].visits: must be a list holding at least the baseline visit"]),
    ("visit-twice", append_visit(visit("week1", 8, 30)), ["patients[0].visits[3].visit: 'week1' appears twice"]),
    ("baseline-twice", append_visit(visit("baseline", -1, 11)),
     ["patients[0].visits[3].visit: 'baseline' appears twice"]),
    # patient fields
    ("sex-abbreviated", put(*P, "sex", "f"), ["patients[0].sex: must be one of female, male"]),
    ("sex-missing", drop(*P, "sex"), ["patients[0].sex: must be one of female, male"]),
    ("study-id-short", put(*P, "study_id", "ITP-1"), ["patients[0].study_id: must be a study id like ITP-001"]),
    ("study-id-number", put(*P, "study_id", 1), ["patients[0].study_id: must be a study id like ITP-001"]),
    ("study-id-newline", put(*P, "study_id", "ITP-001\n"), ["patients[0].study_id: must be a study id like ITP-001"]),
    ("study-id-too-long", put(*P, "study_id", "ITP-0000000000001"),
     ["patients[0].study_id: must be a study id like ITP-001"]),
    ("birth-date-format", put(*P, "birth_date", "02/05/1970"),
     ["patients[0].birth_date: '02/05/1970' is not a date written YYYY-MM-DD"]),
    ("start-date-missing", drop(*P, "start_date"), ["patients[0].start_date: is required"]),
    ("diagnosis-after-start", put(*P, "diagnosis_date", "2025-01-07"),
     ["patients[0].diagnosis_date: cannot be after the sirolimus start date"]),
    ("diagnosis-before-birth", put(*P, "birth_date", "2019-02-01"),
     ["patients[0].diagnosis_date: cannot be before the birth date"]),
    ("birth-in-future", put(*P, "birth_date", "2026-03-01"),
     ["patients[0].birth_date: cannot be in the future",
      "patients[0].diagnosis_date: cannot be before the birth date"]),
    ("weight-too-high", put(*P, "weight_kg", 400), ["patients[0].weight_kg: must be between 2 and 300"]),
    ("weight-string", put(*P, "weight_kg", "61"), ["patients[0].weight_kg: must be a number"]),
    ("weight-nan", put(*P, "weight_kg", float("nan")), ["patients[0].weight_kg: must be a number"]),
    ("weight-two-decimals", put(*P, "weight_kg", 61.55),
     ["patients[0].weight_kg: must have at most 1 decimal place"]),
    ("steroid-effect-string", put(*P, "early_steroid_effective", "yes"),
     ["patients[0].early_steroid_effective: must be true or false"]),
    ("taper-number", put(*P, "steroid_taper_at_start", 1),
     ["patients[0].steroid_taper_at_start: must be true or false"]),
    ("therapies-not-a-list", put(*P, "prior_therapies", "tpo_ra"), ["patients[0].prior_therapies: must be a list"]),
    ("therapy-unknown", put(*P, "prior_therapies", ["glucocorticoids", "steroids"]),
     [f"patients[0].prior_therapies[1]: unknown therapy 'steroids'; use one of {THERAPIES}"]),
    ("therapy-twice", put(*P, "prior_therapies", ["glucocorticoids", "tpo_ra", "glucocorticoids"]),
     ["patients[0].prior_therapies[2]: 'glucocorticoids' is listed twice"]),
]


@pytest.mark.parametrize(("edit", "expected"), [c[1:] for c in SINGLE_PROBLEMS], ids=[c[0] for c in SINGLE_PROBLEMS])
def test_each_problem_is_reported_once_with_its_path(edit, expected):
    plan, problems = plan_of(edited(simple_document(), edit))
    assert problems == expected
    if expected[0].startswith("patients[0]."):  # a patient with a bad value is not planned
        assert plan.patients == []


def test_the_problem_list_names_the_exact_paths_of_the_issue():
    """14 patients with 6 visits each; two problems far apart are both reported, with nothing else."""
    days = [7, 14, 21, 28, 56]
    codes = ["week1", "week2", "week3", "month1", "month2"]
    patients = [patient(n + 1, visits=[visit(c, d, 40) for c, d in zip(codes, days, strict=True)])
                for n in range(14)]
    patients[13]["visits"][5]["platelets"] = 2000
    patients[6]["visits"][2]["platelet_count"] = patients[6]["visits"][2].pop("platelets")
    patients[2]["sex"] = "F"
    plan, problems = plan_of(document(*patients))
    assert problems == [
        "patients[2].sex: must be one of female, male",
        "patients[6].visits[2]: unknown key 'platelet_count'",
        "patients[6].visits[2].platelets: is required",
        "patients[13].visits[5].platelets: must be between 0 and 1500",
    ]
    assert "patients[13].visits[5].platelets: must be between 0 and 1500" in problems
    assert "patients[6].visits[2]: unknown key 'platelet_count'" in problems


def test_problems_in_several_fields_of_one_visit_are_all_reported():
    doc = edited(simple_document(), both(put(*V1, "platelets", -3), put(*V1, "date", "2025-13-01"),
                                         put(*V1, "colour", "red"), NO_GRADE, put(*V1, "who_bleeding_grade", 9)))
    assert plan_of(doc)[1] == [
        "patients[0].visits[1]: unknown key 'colour'",
        "patients[0].visits[1].date: '2025-13-01' is not a date written YYYY-MM-DD",
        "patients[0].visits[1].platelets: must be between 0 and 1500",
        "patients[0].visits[1].who_bleeding_grade: must be a WHO grade from 0 to 4",
    ]


def test_a_visit_without_a_code_still_has_its_other_values_checked():
    doc = edited(simple_document(), both(drop(*V1, "visit"), put(*V1, "platelets", 5000), put(*V1, "date", "soon")))
    assert plan_of(doc)[1] == [
        "patients[0].visits[1].visit: is required (a schedule code, or any other code for an unscheduled visit)",
        "patients[0].visits[1].date: 'soon' is not a date written YYYY-MM-DD",
        "patients[0].visits[1].platelets: must be between 0 and 1500",
    ]


def test_visit_values_are_checked_even_when_day_0_is_unreadable():
    doc = edited(simple_document(), both(put(*P, "start_date", "2025-01"), NO_GRADE,
                                         put(*V1, "who_bleeding_grade", 7), put(*V1, "date", "2026-02-01")))
    assert plan_of(doc)[1] == [
        "patients[0].start_date: '2025-01' is not a date written YYYY-MM-DD",
        "patients[0].visits[1].date: cannot be in the future (today is 2025-12-31)",
        "patients[0].visits[1].who_bleeding_grade: must be a WHO grade from 0 to 4",
    ]


def test_a_missing_baseline_is_reported_alongside_other_problems():
    doc = edited(simple_document(), both(lambda d: d["patients"][0]["visits"].pop(0), put(*P, "sex", "x")))
    assert plan_of(doc)[1] == [
        "patients[0].sex: must be one of female, male",
        "patients[0].visits: a baseline visit is required",
    ]


def test_a_baseline_with_a_bad_value_is_not_also_called_missing():
    doc = edited(simple_document(), put(*V0, "platelets", 3000))
    assert plan_of(doc)[1] == ["patients[0].visits[0].platelets: must be between 0 and 1500"]


def test_problems_of_every_patient_are_reported_in_document_order():
    doc = document(
        patient(1),
        patient(2, sex="other"),
        patient(3, visits=[visit("week1", 7, -5)]),
        patient(4, extra_field=1),
    )
    plan, problems = plan_of(doc)
    assert problems == [
        "patients[1].sex: must be one of female, male",
        "patients[2].visits[1].platelets: must be between 0 and 1500",
        "patients[3]: unknown key 'extra_field'",
    ]


# --------------------------------------------------------------------------- study ids


def test_a_study_id_that_already_exists_is_refused():
    doc = document(patient(1), patient(2), patient(3))
    assert plan_of(doc, existing={"ITP-002", "ITP-009"})[1] == [
        "patients[1].study_id: ITP-002 already exists in this installation"]


def test_a_study_id_given_twice_in_the_document_is_refused():
    doc = document(patient(1), patient(2), patient(1))
    assert plan_of(doc)[1] == ["patients[2].study_id: ITP-001 appears twice in the document"]


# --------------------------------------------------------------------------- sections no app stores
# Every section of SPEC §6 is stored today, so the refuse/skip mechanism is tested with fictitious sections.

NOT_SUPPORTED = "are not supported by this installation yet (use --skip-unsupported to ignore them)"


@pytest.fixture
def fictitious(monkeypatch):
    """A patient section `genotype` and a top-level section `biobank` that no app stores (yet)."""
    monkeypatch.setattr(interchange, "UNSUPPORTED_PATIENT_KEYS", {"genotype": "genotypes"})
    monkeypatch.setattr(interchange, "UNSUPPORTED_TOP_KEYS", {"biobank": "biobank samples"})


UNSUPPORTED = [
    ("genotype", ("patients", 0, "genotype"), {"FCGR2A": "H/R"}, f"patients[0].genotype: genotypes {NOT_SUPPORTED}"),
    ("biobank", ("biobank",), [{"sample": "BB-01"}], f"biobank: biobank samples {NOT_SUPPORTED}"),
]


def test_every_section_of_the_format_is_stored_by_an_app():
    assert interchange.UNSUPPORTED_PATIENT_KEYS == {}
    assert interchange.UNSUPPORTED_TOP_KEYS == {}
    assert set(interchange._FORMAT_PATIENT_KEYS) <= interchange.SECTION_PATIENT_KEYS
    assert set(interchange._FORMAT_TOP_KEYS) <= interchange.SECTION_TOP_KEYS


def test_the_fictitious_sections_are_not_keys_any_app_stores():
    """So the tests below reach the 'not supported' branch of _unknown_keys, not the allowed keys."""
    assert "genotype" not in interchange.PATIENT_KEYS | interchange.SECTION_PATIENT_KEYS
    assert "biobank" not in interchange.TOP_KEYS | interchange.SECTION_TOP_KEYS


@pytest.mark.usefixtures("fictitious")
@pytest.mark.parametrize(("keys", "value", "message"), [c[1:] for c in UNSUPPORTED], ids=[c[0] for c in UNSUPPORTED])
def test_an_unsupported_section_is_refused_with_a_clear_message(keys, value, message):
    plan, problems = plan_of(edited(simple_document(), put(*keys, value)))
    assert problems == [message]
    assert plan.skipped == []


@pytest.mark.parametrize(("keys", "value"), [c[1:3] for c in UNSUPPORTED], ids=[c[0] for c in UNSUPPORTED])
def test_without_the_mechanism_a_fictitious_section_is_an_unknown_key(keys, value):
    """The same documents with nothing marked unsupported: the key is simply unknown, even with skip."""
    where = "patients[0]" if len(keys) > 1 else "(document)"
    for skip in (False, True):
        plan, problems = plan_of(edited(simple_document(), put(*keys, value)), skip=skip)
        assert problems == [f"{where}: unknown key '{keys[-1]}'"]
        assert plan.skipped == []


@pytest.mark.usefixtures("fictitious")
@pytest.mark.parametrize(("keys", "value"), [c[1:3] for c in UNSUPPORTED], ids=[c[0] for c in UNSUPPORTED])
def test_skip_unsupported_ignores_the_section(keys, value):
    plan, problems = plan_of(edited(simple_document(), put(*keys, value)), skip=True)
    assert problems == []
    assert plan.skipped == [".".join(f"[{k}]" if isinstance(k, int) else k for k in keys).replace(".[", "[")]
    assert [p.enrolment.study_id for p in plan.patients] == ["ITP-001"]
    assert [v.code for v in plan.patients[0].visits] == ["week1", "week2"]
    assert plan.patients[0].sections == []
    assert plan.study_sections == []


@pytest.mark.usefixtures("fictitious")
def test_skip_unsupported_does_not_excuse_unknown_keys():
    doc = edited(simple_document(), both(put(*P, "genotype", {}), put(*P, "genotypes", {})))
    plan, problems = plan_of(doc, skip=True)
    assert problems == ["patients[0]: unknown key 'genotypes'"]
    assert plan.skipped == ["patients[0].genotype"]


@pytest.mark.usefixtures("fictitious")
def test_skip_unsupported_does_not_excuse_problems_of_stored_sections():
    doc = edited(simple_document(), both(put(*P, "genotype", {}), put(*P, "troughs", [{"date": on(7)}])))
    plan, problems = plan_of(doc, skip=True)
    assert problems == ["patients[0].troughs[0].ng_ml: is required"]
    assert plan.skipped == ["patients[0].genotype"]


@pytest.mark.usefixtures("fictitious")
def test_every_unsupported_section_is_listed():
    doc = document(patient(1, genotype={}, doses=[]), patient(2, genotype=None), biobank=[], controls=[])
    assert plan_of(doc, skip=True)[0].skipped == ["biobank", "patients[0].genotype", "patients[1].genotype"]
    assert plan_of(doc)[1] == [
        f"biobank: biobank samples {NOT_SUPPORTED}",
        f"patients[0].genotype: genotypes {NOT_SUPPORTED}",
        f"patients[1].genotype: genotypes {NOT_SUPPORTED}",
    ]


def test_a_stored_section_is_accepted_even_if_the_format_lists_it_as_unsupported(monkeypatch):
    """_unknown_keys looks at the keys some app stores first: a stored section is never refused or skipped."""
    monkeypatch.setattr(interchange, "UNSUPPORTED_PATIENT_KEYS", {"doses": "sirolimus doses"})
    monkeypatch.setattr(interchange, "UNSUPPORTED_TOP_KEYS", {"controls": "healthy-control Treg values"})
    doc = edited(simple_document(), both(put(*P, "doses", [{"date": on(0), "mg_per_day": 2}]), put("controls", [])))
    for skip in (False, True):
        plan, problems = plan_of(doc, skip=skip)
        assert (problems, plan.skipped) == ([], [])
        assert [section.keys for section, _ in plan.patients[0].sections] == [("doses",)]


# --------------------------------------------------------------------------- the sections the apps store

STORED = [
    ("doses", ("doses",), [{"date": on(0), "mg_per_day": 2}, {"date": on(14), "mg_per_day": 1.5}]),
    ("troughs", ("troughs",), [{"date": on(7), "ng_ml": 8.4, "time": "08:10", "hours_since_dose": 24}]),
    ("adverse_events", ("adverse_events",),
     [{"term": "Diarrhea", "grade": 1, "onset": "2025-05-20", "resolved": True, "end_date": "2025-06-01"}]),
    ("labs", ("labs",), [{"date": on(28), "values": [{"analyte": "alt", "value": 30, "unit": "U/L", "uln": 40}]}]),
    ("treg_before", ("treg_before", "treg_before_date", "treg_after", "treg_after_date"), 5.6),
    ("treg_after", ("treg_before", "treg_before_date", "treg_after", "treg_after_date"), 7.8),
]


@pytest.mark.parametrize(("key", "section_keys", "value"), STORED, ids=[c[0] for c in STORED])
@pytest.mark.parametrize("skip", [False, True], ids=["refusing", "skipping"])
def test_a_section_an_app_stores_is_planned(key, section_keys, value, skip):
    plan, problems = plan_of(edited(simple_document(), put(*P, key, value)), skip=skip)
    assert problems == []
    assert plan.skipped == []
    assert [section.keys for section, _ in plan.patients[0].sections] == [section_keys]


@pytest.mark.parametrize("skip", [False, True], ids=["refusing", "skipping"])
def test_healthy_controls_are_planned(skip):
    plan, problems = plan_of(edited(simple_document(), put("controls", [{"control_id": "HC-01", "treg": 5.2}])),
                             skip=skip)
    assert (problems, plan.skipped) == ([], [])
    assert [section.keys for section, _ in plan.study_sections] == [("controls",)]


@pytest.mark.parametrize(
    ("trough", "problem"),
    [
        ({"date": on(7), "ng_ml": "8.4"}, "patients[0].troughs[0].ng_ml: must be a number"),
        ({"date": on(7), "ng_ml": 301}, "patients[0].troughs[0].ng_ml: must be between 0 and 300"),
        ({"date": on(7), "ng_ml": 8.45}, "patients[0].troughs[0].ng_ml: must have at most 1 decimal place"),
        ({"date": on(-1), "ng_ml": 8.4},
         "patients[0].troughs[0].date: must be on or after the start date 2025-01-06 (day 0)"),
        ({"date": on(7), "level": 8.4}, "patients[0].troughs[0]: unknown key 'level'"),
    ],
    ids=["not-a-number", "range", "decimals", "before-day-0", "unknown-key"],
)
def test_a_problem_in_a_trough_refuses_the_patient_with_its_path(trough, problem):
    doc = document(patient(1, doses=[{"date": on(0), "mg_per_day": 2}], troughs=[trough]), patient(2))
    plan, problems = plan_of(doc, skip=True)
    expected = [problem, "patients[0].troughs[0].ng_ml: is required"] if "level" in trough else [problem]
    assert problems == expected
    assert [p.enrolment.study_id for p in plan.patients] == ["ITP-002"]
    assert plan.skipped == []


# --------------------------------------------------------------------------- codes and bleeding


@pytest.mark.parametrize("code", ["month13", "unscheduled", "Week1", "week 1", "day10"])
def test_a_code_outside_the_schedule_is_an_unscheduled_visit(code):
    doc = edited(simple_document(), append_visit(visit(code, 100, 80)))
    plan, problems = plan_of(doc)
    assert problems == []
    assert [(v.code, v.values.visit_date) for v in plan.patients[0].visits] == [
        ("week1", date(2025, 1, 13)), ("week2", date(2025, 1, 20)), (UNSCHEDULED, date(2025, 4, 16))]


def test_several_unscheduled_visits_are_allowed():
    doc = edited(simple_document(), both(append_visit(visit("month13", 300, 80)),
                                         append_visit(visit("unscheduled", 10, 31)),
                                         append_visit(visit("unscheduled", 140, 90))))
    plan, problems = plan_of(doc)
    assert problems == []
    assert [v.code for v in plan.patients[0].visits] == ["week1", "week2", UNSCHEDULED, UNSCHEDULED, UNSCHEDULED]


def test_follow_up_codes_take_their_slots_and_old_documents_repeating_them_still_import():
    # Schedule 1.1 (SPEC §2 [decision]) made month4, month5 and month7-month12 scheduled visits. Before, they were
    # unscheduled visits placed by date, so old documents may repeat them: a repeat stays unscheduled.
    doc = edited(simple_document(), both(append_visit(visit("month4", 112, 80)),
                                         append_visit(visit("month5", 141, 90)),
                                         append_visit(visit("month4", 118, 85)),
                                         append_visit(visit("month7", 196, 95))))
    plan, problems = plan_of(doc)
    assert problems == []
    assert [(v.code, v.values.visit_date) for v in plan.patients[0].visits] == [
        ("week1", date(2025, 1, 13)), ("week2", date(2025, 1, 20)), ("month4", date(2025, 4, 28)),
        ("month5", date(2025, 5, 27)), (UNSCHEDULED, date(2025, 5, 4)), ("month7", date(2025, 7, 21))]


def test_a_core_code_given_twice_is_still_refused():
    doc = edited(simple_document(), append_visit(visit("week2", 15, 40)))
    assert plan_of(doc)[1] == ["patients[0].visits[3].visit: 'week2' appears twice"]


def test_an_unscheduled_visit_before_day_0_is_refused():
    doc = edited(simple_document(), append_visit(visit("screening", -3, 10)))
    assert plan_of(doc)[1] == [
        "patients[0].visits[3].date: cannot be before day 0, the first sirolimus dose (2025-01-06)"]


BLEEDING_FORMS = [
    ("bleeding-false", {"bleeding": False}, (None, False)),
    ("bleeding-true", {"bleeding": True}, (None, True)),
    ("grade-0", {"who_bleeding_grade": 0}, (0, None)),
    ("grade-2", {"who_bleeding_grade": 2}, (2, None)),
    ("grade-4", {"who_bleeding_grade": 4}, (4, None)),
    ("both-agreeing-none", {"bleeding": False, "who_bleeding_grade": 0}, (0, None)),
    ("both-agreeing-bleeding", {"bleeding": True, "who_bleeding_grade": 3}, (3, None)),
    ("missing", {}, (None, None)),
    ("null", {"bleeding": None}, (None, None)),
]


@pytest.mark.parametrize(("fields", "expected"), [c[1:] for c in BLEEDING_FORMS], ids=[c[0] for c in BLEEDING_FORMS])
def test_bleeding_may_be_a_boolean_a_who_grade_or_missing(fields, expected):
    doc = document(patient(1, visits=[visit("week1", 7, 50, **{"bleeding": ..., **fields})]))
    plan, problems = plan_of(doc)
    assert problems == []
    values = plan.patients[0].visits[0].values
    assert (values.bleeding_grade, values.bleeding_reported) == expected


def test_a_baseline_before_the_baseline_window_and_a_future_day_0_are_reported_with_their_paths():
    doc = document(patient(1, visits=[], start=date(2025, 3, 10)), patient(2, start=date(2026, 1, 5)))
    doc["patients"][0]["visits"][0]["date"] = "2025-03-02"  # 8 days before day 0
    _, problems = document_plan(doc, today=TODAY, existing_study_ids=set())
    assert problems == [
        "patients[0].visits[0].date: the baseline count must be within the baseline window, 7 days before day 0 "
        "to day 0 (2025-03-03 to 2025-03-10)",
        "patients[1].visits[0].date: cannot be in the future (today is 2025-12-31)",
        "patients[1].start_date: cannot be in the future: day 0 is the first sirolimus dose, already given "
        "(today is 2025-12-31)",
    ]
