"""Two truly simultaneous saves of one record, on PostgreSQL, each from its own thread and database connection:
exactly one wins, the other gets the conflict, and the history shows one change (no silent overwrite)."""

import threading
import time
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection, connections

from casebook.writes import StaleRecord, writing
from dosing.services import TroughValues, trough_update
from dosing.tests.factories import dose, trough
from safety.services import LabInput, lab_value_update
from safety.tests.builders import alt, lab
from tests.factories import enrol, record
from visits.models import Visit
from visits.services import VisitValues, visit_update

START = date(2025, 3, 3)
TODAY = date(2025, 6, 1)
ATTEMPTS = 5
pytestmark = pytest.mark.django_db(transaction=True)


def _visit(patient, user):
    return record(patient, user, "week1", day=7, platelets=40, today=TODAY)


def _visit_save(visit, user, n, version):
    return visit_update(visit=visit, user=user, reason=f"nurse {n}", version=version, today=TODAY,
                        values=VisitValues(visit_date=visit.visit_date, platelets=Decimal(50 + n), bleeding_grade=0))


def _dose(patient, user):
    return dose(patient, user, day=0, mg=2, today=TODAY)


def _dose_save(record_, user, n, version):
    from dosing.services import DoseValues, dose_change_update

    values = DoseValues(start_date=record_.start_date, mg_per_day=Decimal(2) + Decimal(n) / 2, phase="start")
    return dose_change_update(dose=record_, values=values, user=user, reason=f"nurse {n}", version=version,
                              today=TODAY)


def _lab_value(patient, user):
    return lab(patient, user, on=START + timedelta(days=14), values=[alt(30)], today=TODAY).values.get()


def _lab_value_save(value, user, n, version):
    return lab_value_update(lab_value=value, values=LabInput("alt", Decimal(31 + n), "U/L", uln=Decimal(40)),
                            user=user, reason=f"nurse {n}", version=version, today=TODAY)


def _trough(patient, user):
    return trough(patient, user, day=8, ng_ml="8", today=TODAY)


def _trough_save(level, user, n, version):
    return trough_update(trough=level, user=user, reason=f"nurse {n}", version=version, today=TODAY,
                         values=TroughValues(sample_date=level.sample_date, ng_ml=Decimal(9 + n),
                                             hours_since_dose=Decimal(24)))


CASES = {
    "visit": (_visit, _visit_save),
    "dose": (_dose, _dose_save),
    "lab_value": (_lab_value, _lab_value_save),
    "trough": (_trough, _trough_save),
}


def _race(save, record_, users, version) -> list[str]:
    """Both nurses press Save at the same moment, on the version they both opened."""
    barrier = threading.Barrier(len(users))
    outcomes: list[str] = []

    def nurse(n, user):
        try:
            barrier.wait()
            save(record_, user, n, version)
            outcomes.append(f"won:{n}")
        except StaleRecord as stale:
            outcomes.append(f"conflict:{n}:{','.join(stale.changes.by)}")
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=nurse, args=(n, user)) for n, user in enumerate(users, start=1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.parametrize("key", CASES)
def test_two_simultaneous_saves_one_wins_the_other_gets_the_conflict(key, users):
    from tests.factories import user_with_role

    nurses = [users["nurse"], user_with_role("nurse", username="nurse-b")]
    make, save = CASES[key]
    patient = enrol(nurses[0], start=START, today=TODAY)
    winners = conflicts = 0
    target = make(patient, nurses[0])
    for _attempt in range(ATTEMPTS):
        target = type(target).objects.get(pk=target.pk)  # as both nurses open it now
        seen = target.version
        history_before = target.history.count()
        outcomes = _race(save, target, nurses, seen)
        won = [o for o in outcomes if o.startswith("won")]
        lost = [o for o in outcomes if o.startswith("conflict")]
        assert len(won) == 1 and len(lost) == 1, outcomes
        winner = int(won[0].split(":")[1])
        assert lost[0].endswith(nurses[winner - 1].get_full_name())  # the conflict names who saved first
        current = type(target).objects.get(pk=target.pk)
        assert current.version == seen + 1
        assert target.history.count() == history_before + 1  # one change, not two
        assert current.history.order_by("-history_date", "-history_id").first().history_change_reason == \
            f"nurse {winner}"
        winners, conflicts = winners + len(won), conflicts + len(lost)
    print(f"\nconcurrency {key}: {ATTEMPTS} races, {winners} winners, {conflicts} conflicts")
    assert (winners, conflicts) == (ATTEMPTS, ATTEMPTS)


def _waiting_on_a_lock(pid_of_other: list[int]) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("select wait_event_type from pg_stat_activity where pid = %s", pid_of_other)
        row = cursor.fetchone()
    return bool(row) and row[0] == "Lock"


def test_a_second_save_waits_for_the_first_then_sees_its_version(users):
    """Deterministic interleaving: B starts while A holds the patient's row; PostgreSQL makes B wait (seen in
    pg_stat_activity); when A commits, B reads the record again and is refused with A's change."""
    nurse_a = users["nurse"]
    from tests.factories import user_with_role

    nurse_b = user_with_role("nurse", username="nurse-b")
    patient = enrol(nurse_a, start=START, today=TODAY)
    visit = _visit(patient, nurse_a)
    a_holds, a_may_commit = threading.Event(), threading.Event()
    b_pid: list[int] = []
    outcome: dict[str, object] = {}

    def nurse_a_saves():
        try:
            with writing(user=nurse_a, reason="A", patient=visit.patient_id) as write:
                fresh = write.edit(visit, version=1)
                fresh.platelets = Decimal(55)
                write.save(fresh)
                a_holds.set()
                a_may_commit.wait(timeout=30)
        finally:
            connections.close_all()

    def nurse_b_saves():
        try:
            a_holds.wait(timeout=30)
            with connection.cursor() as cursor:
                cursor.execute("select pg_backend_pid()")
                b_pid.append(cursor.fetchone()[0])
            _visit_save(visit, nurse_b, 2, 1)
            outcome["b"] = "won"
        except StaleRecord as stale:
            outcome["b"] = stale
        finally:
            connections.close_all()

    a, b = threading.Thread(target=nurse_a_saves), threading.Thread(target=nurse_b_saves)
    a.start()
    b.start()
    deadline = time.monotonic() + 20
    while not (b_pid and _waiting_on_a_lock(b_pid)) and time.monotonic() < deadline:
        time.sleep(0.02)  # polls PostgreSQL until B is blocked on A's row lock
    waited = bool(b_pid) and _waiting_on_a_lock(b_pid)
    a_may_commit.set()
    a.join(timeout=30)
    b.join(timeout=30)
    assert waited, "B never waited on A's lock"
    stale = outcome["b"]
    assert isinstance(stale, StaleRecord)
    assert [(c.field, c.seen, c.now, c.by) for c in stale.changes.fields] == [
        ("platelets", "40.0", "55.0", nurse_a.get_full_name())]
    assert Visit.objects.get(pk=visit.pk).platelets == Decimal(55)
