"""A form posted after the inactivity timeout: kept as a draft for that user and page, given back once after
signing in again, and sent through the same checks (token, version, validation) as any other post."""

import json
import re
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from drafts.models import Draft
from drafts.services import draft_fields, draft_for, draft_keep, drafts_purge
from tests.factories import PASSWORD, enrol
from tests.pages import hidden_fields
from visits.models import Visit

pytestmark = pytest.mark.django_db
IDLE = timedelta(minutes=31)
DRAFT = re.compile(r'<script id="restored-draft" type="application/json">(?P<data>.*?)</script>', re.S)


def restored(page: str) -> dict | None:
    match = DRAFT.search(page)
    return json.loads(match["data"]) if match else None


@pytest.fixture
def patient(nurse):
    return enrol(nurse, start=timezone.localdate() - timedelta(days=20))


def sign_in(client, user):
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def test_form_posted_after_the_timeout_is_kept_and_given_back_once(client, nurse, patient):
    url = f"/patients/{patient.study_id}/visits/new/week2/"
    sign_in(client, nurse)
    form = {**hidden_fields(client, url), "visit_date": str(timezone.localdate()), "platelets": "45",
            "bleeding_grade": "1"}
    with time_machine.travel(timezone.now() + IDLE, tick=False):
        response = client.post(url, form)
        assert response.status_code == 302
        assert response["Location"] == f"/login/?next={url}"
        assert not Visit.objects.filter(patient=patient, slot__code="week2").exists()
        assert Draft.objects.get(user=nurse).data == {name: [value] for name, value in form.items()}
        login_page = client.get(response["Location"]).content.decode()
        assert "What you typed was kept" in login_page
        sign_in(client, nurse)
        page = client.get(url).content.decode()
        assert restored(page) == {name: [value] for name, value in form.items()}
        assert 'data-testid="draft-restored"' in page
        assert not Draft.objects.exists()  # used: deleted
        assert restored(client.get(url).content.decode()) is None  # once
        saved = client.post(url, form)  # the restored form, sent again: the normal write path
        assert saved.status_code == 302
        assert Visit.objects.filter(patient=patient, slot__code="week2").count() == 1
        again = client.post(url, form)  # sent twice: the one-time token sends it to what the first post created
        assert again.status_code == 302 and again.url == saved.url
        assert Visit.objects.filter(patient=patient, slot__code="week2").count() == 1


def test_restored_edit_keeps_the_version_so_a_change_meanwhile_is_a_conflict(client, nurse, data_manager, patient):
    visit = Visit.objects.get(patient=patient, slot__code="baseline")
    url = f"/visits/{visit.pk}/edit/"
    sign_in(client, nurse)
    form = {**hidden_fields(client, url), "visit_date": str(visit.visit_date), "platelets": "19",
            "bleeding_grade": "0", "reason": "transcription error"}
    with time_machine.travel(timezone.now() + IDLE, tick=False):
        client.post(url, form)
        from visits.services import VisitValues, visit_update
        visit_update(visit=visit, values=VisitValues(visit_date=visit.visit_date, platelets=22, bleeding_grade=0),
                     user=data_manager, reason="source document", version=visit.version)
        sign_in(client, nurse)
        page = client.get(url).content.decode()
        draft = restored(page)
        assert draft["version"] == [form["version"]]
        response = client.post(url, {name: values[0] for name, values in draft.items()})
        assert response.status_code == 409
        visit.refresh_from_db()
        assert visit.platelets == 22


def test_the_draft_is_for_its_user_only(client, nurse, physician, patient):
    url = f"/patients/{patient.study_id}/visits/new/week2/"
    sign_in(client, nurse)
    form = {**hidden_fields(client, url), "visit_date": "2020-01-01", "platelets": "45", "bleeding_grade": "1"}
    with time_machine.travel(timezone.now() + IDLE, tick=False):
        client.post(url, form)
        sign_in(client, physician)
        assert restored(client.get(url).content.decode()) is None
    assert draft_for(user=nurse, path=url) is not None


def test_an_expired_draft_is_not_given_back_and_is_purged(nurse):
    from django.http import QueryDict

    draft_keep(user=nurse, path="/somewhere/", post=QueryDict("a=1"))
    with time_machine.travel(timezone.now() + timedelta(hours=25), tick=False):
        assert draft_for(user=nurse, path="/somewhere/") is None
        assert drafts_purge() == 1


@pytest.mark.parametrize(("posted", "kept"), [
    ("csrfmiddlewaretoken=x&a=1", {"a": ["1"]}),
    ("password=secret&a=1", {"a": ["1"]}),
    ("new_password1=s&a=1", {"a": ["1"]}),
    ("tags=1&tags=2", {"tags": ["1", "2"]}),
    ("a=" + "x" * 10_001, {}),
    ("a=%00", {}),
    ("a=", {"a": [""]}),
], ids=["csrf", "password", "password-change", "multiple", "too-long", "nul", "empty"])
def test_what_a_draft_keeps(posted, kept):
    from django.http import QueryDict

    assert draft_fields(QueryDict(posted)) == kept


def test_sign_in_page_itself_is_never_kept(client, nurse):
    sign_in(client, nurse)
    with time_machine.travel(timezone.now() + IDLE, tick=False):
        client.post("/logout/")
    assert not Draft.objects.exists()


def test_before_the_timeout_nothing_is_kept(client, nurse, patient):
    url = f"/patients/{patient.study_id}/visits/new/week2/"
    sign_in(client, nurse)
    with time_machine.travel(timezone.now() + timedelta(minutes=29), tick=False):
        form = {**hidden_fields(client, url), "visit_date": str(date.today()), "platelets": "45",
                "bleeding_grade": "1"}
        assert client.post(url, form).status_code == 302
    assert not Draft.objects.exists()
    assert Visit.objects.filter(patient=patient, slot__code="week2").count() == 1


def test_a_restored_draft_is_validated_like_any_post(client, nurse, patient):
    url = f"/patients/{patient.study_id}/visits/new/week2/"
    sign_in(client, nurse)
    form = {**hidden_fields(client, url), "visit_date": "0001-01-01", "platelets": "12e", "bleeding_grade": "9"}
    with time_machine.travel(timezone.now() + IDLE, tick=False):
        client.post(url, form)
        sign_in(client, nurse)
        draft = restored(client.get(url).content.decode())
        assert draft["platelets"] == ["12e"]  # kept as typed, wrong as it is
        response = client.post(url, {name: values[0] for name, values in draft.items()})
        assert response.status_code == 400
        page = response.content.decode()
        assert "Enter a number." in page and "Must not be before 1900-01-01." in page
    assert not Visit.objects.filter(patient=patient, slot__code="week2").exists()
