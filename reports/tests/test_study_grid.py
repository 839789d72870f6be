"""The study dashboard at study scale: a page of 50 patients, server-side filters, the whole study's counts and
Tables 2-3 from aggregate queries (the same numbers as the per-visit reads), a constant number of queries."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks.study_data import build_study
from monitoring.models import Query
from patients.models import Patient, Withdrawal
from reports.selectors import study_response_report
from reports.study_grid import (
    PAGE_SIZE,
    GridFilters,
    category_counts,
    filtered_patients,
    grid_rows,
    slot_counts,
)
from reports.study_tables import response_summary
from tests.factories import enrol, record
from visits.models import ScheduledVisit
from visits.schedule import PROTOCOL_SCHEDULE, slot_status
from visits.selectors import is_follow_up

TODAY = date(2026, 6, 1)
URL = "/reports/dashboard/"
pytestmark = pytest.mark.django_db


def _get(client, url: str = URL) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def _study_ids(page: str) -> list[str]:
    import re

    return re.findall(r'<tr><th><a href="/reports/patients/([^/]+)/">', page)


@pytest.fixture
def today(monkeypatch):
    """The study's today for the page (the generated study is built around it)."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    return TODAY


def test_queries_do_not_grow_with_patients_at_10_and_200(client, physician, today):
    build_study(10, user=physician, today=today)
    client.force_login(physician)
    client.get(URL)  # per-process caches (content types, permissions)
    at_10, page = _get(client)
    assert len(_study_ids(page)) == 10
    build_study(190, user=physician, today=today, first_number=11)
    at_200, page = _get(client)
    assert len(_study_ids(page)) == PAGE_SIZE
    assert at_200 == at_10
    filtered = "?q=ITP&category=NR&queries=1&overdue=1&unsigned=1&filter=taper&page=2"
    assert _get(client, URL + filtered)[0] <= at_10 + 1


def test_the_unfiltered_page_counts_the_study_once(client, physician, today):
    """The patients per response category add up to the study: the pages' total is not counted again."""
    build_study(60, user=physician, today=today)
    client.force_login(physician)
    client.get(URL)
    for url, counts in ((URL, 0), (URL + "?page=2", 0), (URL + "?q=ITP-0000", 1)):
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url).content.decode()
        patients = [q["sql"] for q in captured.captured_queries if 'FROM "patients_patient"' in q["sql"]]
        assert sum(sql.startswith('SELECT COUNT(*) AS "__count"') for sql in patients) == counts, url
    assert 'data-testid="page-summary">Patients 51–60 of 60<' in client.get(URL + "?page=2").content.decode()
    assert "Patients 1–9 of 9<" in page


def test_first_page_of_a_large_study_is_small_and_sorted(client, physician, today):
    build_study(300, user=physician, today=today)
    client.force_login(physician)
    _, page = _get(client)
    size = len(page.encode())
    assert size <= 20 * 1024, f"first page is {size} bytes"
    assert _study_ids(page) == [f"ITP-{n:05d}" for n in range(1, PAGE_SIZE + 1)]
    assert 'data-testid="page-summary">Patients 1–50 of 300<' in page
    assert "?page=2" in page and "?page=6" in page  # next and last
    _, second = _get(client, URL + "?page=2")
    assert _study_ids(second) == [f"ITP-{n:05d}" for n in range(PAGE_SIZE + 1, 2 * PAGE_SIZE + 1)]
    # the counts are the whole study's, not the page's
    counts = category_counts()
    assert sum(counts.values()) == 300
    assert f"NR <b>{counts['NR']}</b>" in second


def test_summary_counts_and_tables_cost_the_same_at_10_and_200(client, physician, today):
    build_study(10, user=physician, today=today)
    client.force_login(physician)
    client.get(URL + "summary/?part=1")
    at_10, part = _get(client, URL + "summary/?part=1")
    build_study(190, user=physician, today=today, first_number=11)
    at_200, part = _get(client, URL + "summary/?part=1")
    assert at_200 == at_10
    assert "<html" not in part and 'data-testid="column-counts"' in part and 'data-testid="table2"' in part
    column = next(c for c in slot_counts(today=today) if c["code"] == "week1")["counts"]
    assert f"R {column['R']}<br>" in part or f"R {column['R']}</td>" in part
    _, whole = _get(client, URL + "summary/")
    assert "<html" in whole and 'data-testid="table3"' in whole


def test_column_counts_are_the_whole_study_and_match_slot_status(physician, today):
    """The SQL rule of slot_counts gives every slot the status visits.schedule.slot_status gives it."""
    build_study(200, user=physician, today=today)
    withdrawals = dict(Withdrawal.objects.values_list("patient_id", "off_study_date"))
    from dosing.due import sirolimus_stop_dates

    stops = sirolimus_stop_dates(patient_ids=None)
    expected: dict[str, dict[str, int]] = {}
    for pid, code, target, earliest, latest, visit_id, category in ScheduledVisit.objects.values_list(
            "patient_id", "code", "target_date", "earliest", "latest", "visit__id", "visit__category"):
        status = slot_status(target=target, earliest=earliest, latest=latest, done=visit_id is not None, today=today,
                             follow_up=is_follow_up(code), stopped_on=stops.get(pid),
                             off_study_on=withdrawals.get(pid))
        key = category or status.value
        expected.setdefault(code, {})
        expected[code][key] = expected[code].get(key, 0) + 1
    found = {column["code"]: column["counts"] for column in slot_counts(today=today)}
    assert found == expected
    statuses = {key for column in found.values() for key in column}
    assert {"CR", "R", "NR", "NE", "upcoming", "due", "overdue", "missed", "not-planned", "off-study"} <= statuses


def test_column_counts_without_postgresql_sql_are_the_same(physician, today):
    """The path the SQLite demo takes (slot_status over every slot) counts what the SQL counts."""
    from reports.study_grid import SLOT_COUNTS, _slot_cells_in_python

    build_study(80, user=physician, today=today)
    sql = SLOT_COUNTS.format(dose="dosing_dosechange", slot="visits_scheduledvisit", visit="visits_visit",
                             withdrawal="patients_withdrawal")
    with connection.cursor() as cursor:
        cursor.execute(sql, {"today": today, "follow_up": [v.code for v in PROTOCOL_SCHEDULE.visits if v.follow_up]})
        expected = sorted(cursor.fetchall())
    found = sorted(_slot_cells_in_python(today))
    assert found == expected
    assert {cell for _code, cell, _n in found} >= {"CR", "R", "NR", "upcoming", "due", "missed", "not-planned"}


def test_tables_2_and_3_from_aggregates_equal_the_per_visit_report(physician, today):
    build_study(150, user=physician, today=today)
    expected, found = study_response_report(), response_summary()
    assert found["baseline"] == expected["baseline"]
    assert found["timepoints"] == expected["timepoints"]
    assert found["friedman"] is not None
    assert {k: v for k, v in found["friedman"].items() if k != "p"} == {
        k: v for k, v in expected["friedman"].items() if k != "p"}
    assert found["friedman"]["p"] == pytest.approx(expected["friedman"]["p"], rel=1e-9, abs=1e-300)


@pytest.mark.parametrize("counts, expected_none", [
    ([], True),  # nobody
    ([[10, 10, 10, 10, 10, 10, 10, 10]], True),  # one patient
    ([[10] * 8, [20] * 8], True),  # nobody's counts differ
    ([[10, 20, 20, 30, 30, 30, 40, 10], [15, 15, 15, 15, 15, 15, 15, 15], [12, 40, 33, 50, 80, 120, 90, 60]], False),
], ids=["empty", "one-patient", "all-tied", "ties-within-patients"])
def test_friedman_from_aggregates_edge_cases(physician, counts, expected_none):
    from decimal import Decimal

    from visits.models import Visit

    core = [PROTOCOL_SCHEDULE.visits[0].code, *(v.code for v in PROTOCOL_SCHEDULE.core_timepoints)]
    start = date(2025, 1, 6)
    for n, row in enumerate(counts, start=1):
        patient = Patient.objects.create(study_id=f"F-{n}", sex="female", birth_date=date(1970, 1, 1),
                                         diagnosis_date=date(2024, 1, 1), start_date=start, schedule_version="1.0",
                                         enrolled_by=physician)
        for code, value in zip(core, row, strict=True):
            v = PROTOCOL_SCHEDULE.get(code)
            slot = ScheduledVisit.objects.create(patient=patient, code=code, target_date=v.target(start),
                                                 earliest=v.earliest(start), latest=v.latest(start))
            Visit.objects.create(patient=patient, slot=slot, visit_date=slot.target_date, platelets=Decimal(value),
                                 bleeding_grade=0, category="NR")
    expected, found = study_response_report()["friedman"], response_summary()["friedman"]
    assert (found is None) is expected_none
    if expected is None:
        assert found is None
    else:
        assert found["chi2"] == expected["chi2"] and found["mean_ranks"] == expected["mean_ranks"]
        assert found["p"] == pytest.approx(expected["p"], rel=1e-9)


def _ids(filters: GridFilters, today: date) -> list[str]:
    return list(filtered_patients(filters, today=today).values_list("study_id", flat=True))


def test_filters_keep_what_each_row_says(physician, today):
    """Each server-side filter keeps exactly the patients whose row (computed by the rules) says so."""
    build_study(160, user=physician, today=today)
    patients = list(Patient.objects.select_related("response", "withdrawal").order_by("study_id"))
    rows = {row.patient.study_id: row for row in grid_rows(patients, today=today)}
    everyone = sorted(rows)
    assert _ids(GridFilters(), today) == everyone
    cases = {
        "overdue": (GridFilters(overdue=True), lambda r: r.overdue),
        "responding": (GridFilters(quick="responding"), lambda r: r.responding),
        "taper": (GridFilters(quick="taper"), lambda r: r.nr_at_month3),
        "withdrawal": (GridFilters(quick="withdrawal"), lambda r: r.withdrawal_pending),
        "NR": (GridFilters(category="NR"), lambda r: r.patient.response.current_status == "NR"),
    }
    for name, (filters, keep) in cases.items():
        expected = [sid for sid in everyone if keep(rows[sid])]
        assert expected, f"the generated study has patients for {name}"
        assert _ids(filters, today) == expected, name
    with_queries = set(Query.objects.values_list("patient__study_id", flat=True))
    assert _ids(GridFilters(open_queries=True), today) == sorted(with_queries)
    assert _ids(GridFilters(study_id="0012"), today) == ["ITP-00012", "ITP-00120", "ITP-00121", "ITP-00122",
                                                         "ITP-00123", "ITP-00124", "ITP-00125", "ITP-00126",
                                                         "ITP-00127", "ITP-00128", "ITP-00129"]
    assert _ids(GridFilters(study_id="0012", quick="responding"), today) == [
        sid for sid in ["ITP-00012", *(f"ITP-0012{d}" for d in range(10))] if rows[sid].responding]


def test_awaiting_sign_off_is_a_visit_no_active_signature_covers(nurse, physician, today):
    from casebook.models import Signature

    signed = enrol(nurse, start=today - timedelta(days=20), baseline=10, today=today)
    casebook = enrol(nurse, start=today - timedelta(days=20), baseline=10, today=today)
    voided = enrol(nurse, start=today - timedelta(days=20), baseline=10, today=today)
    open_ = enrol(nurse, start=today - timedelta(days=20), baseline=10, today=today)
    record(casebook, nurse, "week1", day=7, platelets=45, today=today)
    now = today - timedelta(days=1)
    for patient in (signed, voided):
        Signature.objects.create(patient=patient, visit=patient.visits.get(), signer=physician, signer_name="Dr",
                                 signed_at=f"{now}T10:00Z",
                                 voided_at=f"{now}T11:00Z" if patient is voided else None)
    Signature.objects.create(patient=casebook, up_to=today - timedelta(days=15), signer=physician, signer_name="Dr",
                             signed_at=f"{now}T10:00Z")  # covers the baseline visit, not week 1
    assert _ids(GridFilters(awaiting_signoff=True), today) == sorted(
        p.study_id for p in (casebook, voided, open_))


@pytest.mark.parametrize("query, expected", [
    ({}, GridFilters()),
    ({"q": "  ITP-001 ", "category": "CR"}, GridFilters(study_id="ITP-001", category="CR")),
    ({"category": "XX", "filter": "nonsense", "queries": "yes"}, GridFilters()),
    ({"category": "none", "queries": "1", "unsigned": "1"},
     GridFilters(category="none", open_queries=True, awaiting_signoff=True)),
    ({"filter": "overdue"}, GridFilters(overdue=True, quick="overdue")),
    ({"q": "x" * 100}, GridFilters(study_id="x" * 40)),
], ids=["none", "search-category", "unknown-values-ignored", "none-category-flags", "overdue-button", "long-q"])
def test_filters_from_the_query_string(query, expected):
    assert GridFilters.from_query(query) == expected


def test_bad_page_numbers_show_a_page(client, physician, today):
    build_study(60, user=physician, today=today)
    client.force_login(physician)
    assert _study_ids(_get(client, URL + "?page=abc")[1])[0] == "ITP-00001"
    assert _study_ids(_get(client, URL + "?page=99")[1])[0] == "ITP-00051"  # the last page
    _, empty = _get(client, URL + "?q=nobody")
    assert "No patient matches this filter." in empty


def test_page_links_keep_the_filters(client, physician, today):
    build_study(200, user=physician, today=today)
    client.force_login(physician)
    _, page = _get(client, URL + "?q=ITP&filter=responding")
    assert "?q=ITP&amp;filter=responding&amp;page=2" in page


@pytest.mark.parametrize("statuses, expected", [
    (["upcoming"] * 3, "<td colspan=3>·"),
    (["CR", "upcoming", "upcoming"], "<td class=CR>CR<td colspan=2>·"),
    (["not-planned", "not-planned", "upcoming", "not-planned"],
     "<td class=np colspan=2>not planned<td>·<td class=np>not planned"),
    (["due", "due"], "<td class=d>due<td class=d>due"),  # something to do: one cell each
    (["missed", "R?2", "upcoming"], '<td class=m>missed<td class=R>R<b data-testid="cell-queries">?2</b><td>·'),
    (["NR✓", "R!"], '<td class=NR>NR<i data-state="verified">✓</i><td class=R>R<i data-state="changed">Δ</i>'),
], ids=["upcoming-run", "category-then-run", "not-planned-runs", "due-not-merged", "queries", "verification"])
def test_cells_are_compact_and_runs_share_a_cell(statuses, expected):
    from reports.study_grid import GridCell
    from reports.study_grid_display import _status_words, cells_markup, row_cells
    from visits.schedule import SlotStatus

    cells = []
    for index, text in enumerate(statuses):
        code = PROTOCOL_SCHEDULE.visits[index + 1].code
        category, queries, sdv = text.rstrip("?2✓!"), 2 if "?2" in text else 0, ""
        sdv = "verified" if text.endswith("✓") else "changed" if text.endswith("!") else ""
        if category in ("CR", "R", "NR", "NE"):
            cells.append(GridCell(code, SlotStatus.DONE, category, queries, sdv))
        else:
            cells.append(GridCell(code, SlotStatus(category), None, queries, sdv))
    assert cells_markup(row_cells(cells, {**_status_words(), "BL": "BL"})) == expected
