"""What a write asks people to do reaches the inbox as a reminder in the write's own transaction: at once when it
commits, not at all when it is refused; a kind the inbox does not know refuses the write."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from casebook.writes import writing
from inbox.models import OutboxMessage, Reminder
from tests.factories import enrol

DAY = date(2026, 3, 20)


@pytest.fixture
def patient(nurse):
    return enrol(nurse, start=date(2026, 3, 2))


@pytest.mark.django_db
def test_a_notice_is_a_reminder_when_the_write_commits(patient, nurse):
    with writing(user=nurse, patient=patient) as write:
        write.notify("ae_review", due_date=DAY, audience="physician", params={"analyte": "alt"})
        write.notify("ae_review", due_date=DAY, audience="physician", params={"analyte": "alt"})  # once only
    reminder = Reminder.objects.get()
    assert (reminder.patient_id, reminder.kind, reminder.due_date, reminder.audience, reminder.params) == (
        patient.pk, "ae_review", DAY, "physician", {"analyte": "alt"})
    assert list(OutboxMessage.objects.values_list("key", flat=True)) == [f"reminder_email:{reminder.pk}"]


@pytest.mark.django_db
def test_a_refused_write_leaves_no_reminder(patient, nurse):
    with pytest.raises(ValidationError), writing(user=nurse, patient=patient) as write:
        write.notify("withdrawal", due_date=DAY, audience="physician")
        raise ValidationError("the service's own check refuses")
    assert not Reminder.objects.exists() and not OutboxMessage.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "audience"), [("no_such_kind", "physician"), ("ae_review", "patients")])
def test_a_notice_the_inbox_does_not_know_refuses_the_write(patient, nurse, kind, audience):
    with pytest.raises(ValueError), writing(user=nurse, patient=patient) as write:
        write.notify(kind, due_date=DAY, audience=audience)
    assert not Reminder.objects.exists()
