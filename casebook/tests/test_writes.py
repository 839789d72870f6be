"""The write path itself: what it refuses, what it counts, and that nothing else writes clinical records."""

import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from casebook.changes import changes_since
from casebook.writes import StaleRecord, writing
from dosing.tests.factories import trough
from tests.factories import enrol, record, user_with_role
from visits.models import ScheduledVisit, Visit

START = date(2025, 3, 3)
TODAY = date(2025, 6, 1)
ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


@pytest.fixture
def patient(nurse):
    return enrol(nurse, start=START, today=TODAY)


def edit(record_, user, *, reason, version, **values):
    with writing(user=user, reason=reason, patient=record_.patient_id) as write:
        fresh = write.edit(record_, version=version)
        for name, value in values.items():
            setattr(fresh, name, value)
        return write.save(fresh)


def test_every_save_raises_the_version_and_the_history_keeps_it(patient, nurse, physician):
    visit = record(patient, nurse, "week1", day=7, platelets=40, today=TODAY)
    edit(visit, physician, reason="first", version=1, platelets=Decimal(41))
    edit(visit, nurse, reason="second", version=2, platelets=Decimal(42))
    assert Visit.objects.get(pk=visit.pk).version == 3
    assert list(visit.history.order_by("history_date").values_list("version", "history_change_reason")) == [
        (1, "created"), (2, "first"), (3, "second")]


def test_the_changes_since_a_version_name_the_last_person_and_skip_values_changed_back(patient, nurse, physician):
    nurse_b = user_with_role("nurse", username="nurse-b")
    visit = record(patient, nurse, "week1", day=7, platelets=40, today=TODAY)
    edit(visit, physician, reason="lab", version=1, platelets=Decimal(50), haemoglobin=Decimal(101))
    edit(visit, nurse_b, reason="lab again", version=2, platelets=Decimal(52), haemoglobin=None)
    changes = changes_since(Visit.objects.get(pk=visit.pk), 1)
    assert [(c.field, c.seen, c.now, c.by, c.reason) for c in changes.fields] == [
        ("platelets", "40.0", "52.0", nurse_b.get_full_name(), "lab again")]  # haemoglobin is back to empty
    assert changes.by == [physician.get_full_name(), nurse_b.get_full_name()]
    assert (changes.seen_version, changes.current_version) == (1, 3)


def test_a_stale_version_changes_nothing(patient, nurse, physician):
    visit = record(patient, nurse, "week1", day=7, platelets=40, today=TODAY)
    edit(visit, physician, reason="lab", version=1, platelets=Decimal(50))
    with pytest.raises(StaleRecord):
        edit(visit, nurse, reason="mine", version=1, platelets=Decimal(45))
    assert (Visit.objects.get(pk=visit.pk).platelets, visit.history.count()) == (Decimal(50), 2)


def test_a_long_reason_for_change_is_kept_whole(patient, nurse):
    visit = record(patient, nurse, "week1", day=7, platelets=40, today=TODAY)
    reason = "Source document verification: " + " ".join(["the count was read from the wrong line."] * 6)
    edit(visit, nurse, reason=reason, version=1, platelets=Decimal(41))
    assert visit.history.order_by("-history_date").first().history_change_reason == reason


def test_only_declared_records_opened_for_editing_and_of_this_patient_are_saved(patient, nurse):
    other = enrol(nurse, start=START, today=TODAY)
    level = trough(other, nurse, day=8, ng_ml="8", today=TODAY)
    with writing(user=nurse, reason="x", patient=patient) as write:
        slot = ScheduledVisit.objects.filter(patient=patient).first()
        with pytest.raises(LookupError, match="not a declared record type"):
            write.save(slot)  # derived rows go through save_derived
        visit = Visit.objects.get(patient=patient)
        with pytest.raises(RuntimeError, match="open it with write.edit"):
            write.save(visit)
        with pytest.raises(ValueError, match="belongs to patient"):
            write.edit(level, version=1)


def test_a_failure_after_a_save_leaves_nothing(patient, nurse):
    visit = record(patient, nurse, "week1", day=7, platelets=40, today=TODAY)
    with pytest.raises(ValidationError), writing(user=nurse, reason="x", patient=patient) as write:
        fresh = write.edit(visit, version=1)
        fresh.platelets = Decimal(60)
        write.save(fresh)
        raise ValidationError("a rule checked after the save")
    assert (Visit.objects.get(pk=visit.pk).platelets, Visit.objects.get(pk=visit.pk).version) == (Decimal(40), 1)


def test_enrolment_and_every_later_record_are_in_one_casebook(nurse):
    patient = enrol(nurse, start=START, today=TODAY)
    assert {s.version for s in patient.slots.all()} == {1}
    assert patient.slots.first().history.get().history_user == nurse
    assert START + timedelta(days=0) == patient.visits.get().visit_date


SOURCES = [p for p in ROOT.glob("*/**/*.py") if ".venv" not in p.parts and "migrations" not in p.parts
           and "tests" not in p.parts and p.parts[len(ROOT.parts)] not in ("benchmarks", "scripts")]


@pytest.mark.parametrize("pattern, allowed", [
    (r"\._history_user\b|\._change_reason\b", {
        "casebook/writes.py",
        "monitoring/services.py",  # queries and verification marks: not clinical records, their own history
        "api/tokens.py",  # personal API tokens: not clinical records, their own history
    }),
    (r"select_for_update\(", {
        "casebook/writes.py",
        "patients/services.py",  # the study-id sequence (not a clinical record)
        "patients/interchange.py",  # the same sequence, claimed once for all of an import's study ids
        "inbox/outbox.py",  # draining the outbox of e-mails (not clinical records)
        "accounts/services.py",  # user accounts and role requests (not clinical records)
        "monitoring/services.py",  # a query's or a verification's own row (not clinical records)
        "api/tokens.py",  # a personal API token's own row (not a clinical record)
        "visits/management/commands/recompute_responses.py",  # derived columns only, under the patient lock
    }),
    (r"from audit\.writes|audited_save|ensure_unlocked", set()),  # the paths this one replaced
])
def test_no_module_writes_clinical_records_around_the_write_path(pattern, allowed):
    found = {str(p.relative_to(ROOT)) for p in SOURCES if re.search(pattern, p.read_text(encoding="utf-8"))}
    assert found <= allowed, f"{pattern} outside the write path: {sorted(found - allowed)}"
