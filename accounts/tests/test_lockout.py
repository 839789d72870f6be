"""Sign-in lockout: 5 failures per user or per address lock for the cool-off, on the login page, the admin login and
the signature password; every attempt is in the sign-in log."""

from datetime import date, timedelta

import pytest
import time_machine
from axes.models import AccessFailureLog, AccessLog
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.selectors import sign_ins
from casebook.models import Signature
from tests.factories import PASSWORD, enrol

WRONG = "not-the-password"


def login_page(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def admin_login(client, username, password):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


@pytest.fixture
def baseline(users):
    patient = enrol(users["nurse"], start=date.today() - timedelta(days=3), today=date.today())
    return patient.visits.get(slot__code="baseline")


def sign_visit_page(client, visit, password):
    visit.refresh_from_db()
    return client.post(reverse("review:sign_visit", kwargs={"pk": visit.pk}),
                       {"password": password, "version": visit.version})


@pytest.mark.django_db
@pytest.mark.parametrize("entry", ["login page", "admin login"])
def test_five_wrong_passwords_lock_the_right_one_out(users, entry, settings):
    attempt = {"login page": login_page, "admin login": admin_login}[entry]
    username = users["data_manager"].username  # data managers may use the admin
    client = Client()
    for _ in range(4):
        assert attempt(client, username, WRONG).status_code == 200  # the form again, with its error
    locked = attempt(client, username, WRONG)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Sign-in locked" in page and "retry-at" in page
    right = attempt(client, username, PASSWORD)
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    assert [e.outcome for e in sign_ins(username=username)] == ["locked out", "locked out"] + ["wrong password"] * 4
    assert {e.where for e in sign_ins(username=username)} == {entry}
    # the cool-off starts again with the last attempt; after it, the right password signs in
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=5)):
        response = attempt(client, username, PASSWORD)
        assert response.status_code == 302 and "_auth_user_id" in client.session
    assert sign_ins(username=username)[0].outcome == "signed in"


@pytest.mark.django_db
def test_the_signature_password_counts_and_locks_and_signs_the_user_out(client, users, baseline):
    physician = users["physician"]
    client.force_login(physician)
    for _ in range(4):
        response = sign_visit_page(client, baseline, WRONG)
        assert response.status_code == 400 and "The password is not correct" in response.content.decode()
    locked = sign_visit_page(client, baseline, WRONG)
    assert locked.status_code == 429 and "You were signed out" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    client.force_login(physician)  # even a session opened otherwise cannot sign while locked
    assert sign_visit_page(client, baseline, PASSWORD).status_code == 429
    assert not Signature.objects.exists()
    assert login_page(Client(), physician.username, PASSWORD).status_code == 429
    failures = [e for e in sign_ins(username=physician.username) if e.outcome != "signed in"]  # force_login's
    assert {e.where for e in failures} == {"signature password", "login page"}


@pytest.mark.django_db
def test_a_right_signature_password_still_signs(client, users, baseline):
    client.force_login(users["physician"])
    sign_visit_page(client, baseline, WRONG)
    assert sign_visit_page(client, baseline, PASSWORD).status_code == 302
    assert Signature.objects.count() == 1


@pytest.mark.django_db
def test_five_failures_from_one_address_lock_that_address_for_every_user(users):
    client = Client(REMOTE_ADDR="10.0.0.7")
    for name in ["nurse", "monitor", "ghost", "physician", "nurse"]:
        login_page(client, name, WRONG)
    assert login_page(client, "data_manager", PASSWORD).status_code == 429
    other_address = Client(REMOTE_ADDR="10.0.0.8")
    assert login_page(other_address, "data_manager", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_five_failures_for_one_user_lock_that_user_from_every_address(users):
    for number in range(5):
        login_page(Client(REMOTE_ADDR=f"10.0.1.{number}"), "nurse", WRONG)
    assert login_page(Client(REMOTE_ADDR="10.0.2.1"), "nurse", PASSWORD).status_code == 429
    assert login_page(Client(REMOTE_ADDR="10.0.2.1"), "monitor", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_sign_ins_are_recorded_with_address(users):
    client = Client(REMOTE_ADDR="192.0.2.10")
    login_page(client, "nurse", WRONG)
    login_page(client, "nurse", PASSWORD)
    assert list(AccessLog.objects.values_list("username", "ip_address")) == [("nurse", "192.0.2.10")]
    assert list(AccessFailureLog.objects.values_list("username", "ip_address")) == [("nurse", "192.0.2.10")]
    assert [(e.username, e.address, e.outcome, e.where) for e in sign_ins()] == [
        ("nurse", "192.0.2.10", "signed in", "login page"), ("nurse", "192.0.2.10", "wrong password", "login page")]


@pytest.mark.django_db
def test_the_test_clients_login_still_works(client, users):
    assert client.login(username="nurse", password=PASSWORD)
    assert not client.login(username="nurse", password=WRONG)


@pytest.mark.django_db
@pytest.mark.parametrize("behind_proxy, forwarded, expected", [
    (False, "203.0.113.5", "127.0.0.1"),  # no proxy: the header is the client's own, ignored
    (True, "203.0.113.5", "203.0.113.5"),
    (True, "198.51.100.1, 203.0.113.5", "203.0.113.5"),  # the client's forged first entry is ignored
    (True, "", "127.0.0.1"),
])
def test_the_address_behind_the_proxy(settings, users, behind_proxy, forwarded, expected):
    settings.SIGN_IN_ADDRESS_FROM_PROXY = behind_proxy
    login_page(Client(HTTP_X_FORWARDED_FOR=forwarded) if forwarded else Client(), "nurse", WRONG)
    assert AccessFailureLog.objects.get().ip_address == expected


@pytest.mark.django_db
def test_a_password_set_through_a_link_ends_the_accounts_lockout(users):
    from accounts.services import password_link_issue

    for number in range(5):
        login_page(Client(REMOTE_ADDR=f"10.0.3.{number}"), "nurse", WRONG)
    assert login_page(Client(REMOTE_ADDR="10.0.4.1"), "nurse", PASSWORD).status_code == 429
    token = password_link_issue(account=users["nurse"], by=users["data_manager"], reason="locked out, forgot it")
    new = "a-fresh-long-passphrase-42"
    Client(REMOTE_ADDR="10.0.4.2").post(reverse("accounts:set_password", kwargs={"token": token}),
                                        {"new_password1": new, "new_password2": new})
    assert login_page(Client(REMOTE_ADDR="10.0.4.3"), "nurse", new).status_code == 302
