"""A create form sent twice (double tap, the retry after an error page) saves once; a form that failed
validation can be corrected and sent again with the same key."""

import re
import threading
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from inbox.models import OutboxMessage, Reminder
from itp_trial.models import FormSubmission
from safety.models import AdverseEvent, AeProposal, LabSample
from tests.factories import enrol

LAB = {"alt": "100", "alt_unit": "U/L", "alt_uln": "40"}


def form_key(client, url) -> str:
    page = client.get(url).content.decode()
    return re.search(r'name="submission_key" value="([0-9a-f-]{36})"', page).group(1)


@pytest.mark.django_db
def test_the_same_lab_form_sent_twice_saves_one_sample_and_one_proposal(client, nurse):
    patient = enrol(nurse, start=date.today() - timedelta(days=20))
    client.force_login(nurse)
    url = reverse("safety:lab_create", kwargs={"study_id": patient.study_id})
    data = {**LAB, "sample_date": date.today().isoformat(), "submission_key": form_key(client, url)}
    first, second = client.post(url, data), client.post(url, data, follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "had already been saved" in second.content.decode()
    assert (LabSample.objects.count(), AeProposal.objects.count(), Reminder.objects.count(),
            OutboxMessage.objects.count(), FormSubmission.objects.count()) == (1, 1, 1, 1, 1)
    data["submission_key"] = form_key(client, url)  # a new form is a new sample
    client.post(url, {**data, "sample_date": (date.today() - timedelta(days=1)).isoformat()})
    assert LabSample.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_form_keeps_its_key_and_saves_once_corrected(client, nurse):
    patient = enrol(nurse, start=date.today() - timedelta(days=20))
    client.force_login(nurse)
    url = reverse("safety:lab_create", kwargs={"study_id": patient.study_id})
    key = form_key(client, url)
    future = (date.today() + timedelta(days=1)).isoformat()
    refused = client.post(url, {**LAB, "sample_date": future, "submission_key": key})
    assert refused.status_code == 400 and f'value="{key}"' in refused.content.decode()
    assert not FormSubmission.objects.exists()
    assert client.post(url, {**LAB, "sample_date": date.today().isoformat(), "submission_key": key}).status_code == 302
    assert LabSample.objects.count() == 1


@pytest.mark.django_db
def test_the_same_adverse_event_form_sent_twice_saves_one_event(client, nurse):
    patient = enrol(nurse, start=date.today() - timedelta(days=20))
    client.force_login(nurse)
    url = reverse("safety:ae_create", kwargs={"study_id": patient.study_id})
    data = {"term": "Diarrhea", "grade": "1", "onset_date": date.today().isoformat(), "serious": "no",
            "relation": "possible", "action": "none", "outcome": "ongoing", "submission_key": form_key(client, url)}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert AdverseEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_identical_posts_at_the_same_moment_save_once(nurse):
    patient = enrol(nurse, start=date.today() - timedelta(days=20))
    url = reverse("safety:lab_create", kwargs={"study_id": patient.study_id})
    clients = [Client(), Client()]
    for one in clients:
        one.force_login(nurse)
    data = {**LAB, "sample_date": date.today().isoformat(), "submission_key": form_key(clients[0], url)}
    statuses = []

    def post(one):
        try:
            statuses.append(one.post(url, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(one,)) for one in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert statuses == [302, 302]
    assert (LabSample.objects.count(), AeProposal.objects.count()) == (1, 1)
