"""Account services: separation of duties, reasons, audit rows, one-time links."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import AccountChange, PasswordLink, RoleRequest
from accounts.services import (
    AlreadyDecided,
    account_create,
    account_role_set,
    account_update,
    password_link_issue,
    password_link_open,
    password_link_use,
    role_request_create,
    role_request_decide,
)
from itp_trial.roles import REVIEW_DATA, role_of
from tests.factories import user_with_role

NEW_PASSWORD = "a-fresh-long-passphrase-42"


@pytest.fixture
def second_manager(users):
    return user_with_role("data_manager", "dm2")


def changes(account):
    return list(AccountChange.objects.filter(account=account).order_by("id").values_list(
        "kind", "field", "old", "new", "changed_by__username", "reason"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["physician"])
def test_a_sign_off_role_is_never_given_directly(users, role):
    dm, nurse = users["data_manager"], users["nurse"]
    for attempt in (lambda: account_role_set(account=nurse, role=role, by=dm, reason="ward round"),
                    lambda: account_role_set(account=dm, role=role, by=dm, reason="I sign too"),
                    lambda: account_create(username="newdoc", first_name="", last_name="", email="", role=role,
                                           by=dm, reason="new doctor")):
        with pytest.raises(ValidationError) as error:
            attempt()
        assert "role" in error.value.message_dict
    assert not nurse.has_perm(REVIEW_DATA) and role_of(dm).code == "data_manager"
    assert not get_user_model().objects.filter(username="newdoc").exists()
    assert AccountChange.objects.count() == 0


@pytest.mark.django_db
def test_a_second_data_manager_approves_a_request_once(users, second_manager):
    dm, nurse = users["data_manager"], users["nurse"]
    request = role_request_create(account=nurse, role="physician", by=dm, reason="qualified as physician")
    assert role_of(nurse).code == "nurse"  # nothing given yet
    decided = role_request_decide(request_id=request.pk, approve=True, by=second_manager, reason="checked the CV")
    assert decided.status == RoleRequest.Status.APPROVED and decided.decided_by == second_manager
    nurse = get_user_model().objects.get(pk=nurse.pk)
    assert role_of(nurse).code == "physician" and nurse.has_perm(REVIEW_DATA)
    with pytest.raises(AlreadyDecided):  # a double submit, or the other manager's click
        role_request_decide(request_id=request.pk, approve=False, by=second_manager, reason="second click")
    assert changes(nurse) == [
        ("role_requested", "role", "Study nurse", "Physician", "data_manager", "qualified as physician"),
        ("role_approved", "role", "Study nurse", "Physician", "dm2", "checked the CV"),
        ("role", "role", "Study nurse", "Physician", "dm2",
         f"checked the CV (request #{request.pk} by data_manager: qualified as physician)"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("requester, account, decider, problem", [
    ("data_manager", "nurse", "data_manager", "You made this request"),  # the requester approves their own request
    ("data_manager", "data_manager", "data_manager", "You made this request"),  # a manager gives themselves
    ("data_manager", "dm2", "dm2", "your own account"),  # the account's owner approves
])
def test_nobody_decides_their_own_request(users, second_manager, requester, account, decider, problem):
    people = {**users, "dm2": second_manager}
    request = role_request_create(account=people[account], role="physician", by=people[requester], reason="asked")
    with pytest.raises(ValidationError, match=problem):
        role_request_decide(request_id=request.pk, approve=True, by=people[decider], reason="fine")
    request.refresh_from_db()
    assert request.status == RoleRequest.Status.PENDING
    assert role_of(people[account]).code != "physician"


@pytest.mark.django_db
def test_refusing_leaves_the_role(users, second_manager):
    dm, monitor = users["data_manager"], users["monitor"]
    request = role_request_create(account=monitor, role="physician", by=dm, reason="needs to sign")
    role_request_decide(request_id=request.pk, approve=False, by=second_manager, reason="not a physician")
    assert role_of(monitor).code == "monitor"
    assert changes(monitor)[-1] == ("role_refused", "role", "Monitor", "Monitor", "dm2", "not a physician")
    role_request_create(account=monitor, role="physician", by=dm, reason="asked again")  # a new request is allowed


@pytest.mark.django_db
def test_one_pending_request_per_account(users):
    dm, nurse = users["data_manager"], users["nurse"]
    role_request_create(account=nurse, role="physician", by=dm, reason="first")
    with pytest.raises(ValidationError, match="already waiting"):
        role_request_create(account=nurse, role="physician", by=dm, reason="second")


@pytest.mark.django_db
@pytest.mark.parametrize("service", ["update", "role", "link", "request"])
def test_every_change_needs_a_reason(users, service):
    dm, nurse = users["data_manager"], users["nurse"]
    call = {
        "update": lambda: account_update(account=nurse, first_name="N", last_name="", email="", is_active=True,
                                         by=dm, reason="  "),
        "role": lambda: account_role_set(account=nurse, role="monitor", by=dm, reason=""),
        "link": lambda: password_link_issue(account=nurse, by=dm, reason=""),
        "request": lambda: role_request_create(account=nurse, role="physician", by=dm, reason=""),
    }[service]
    with pytest.raises(ValidationError) as error:
        call()
    assert error.value.message_dict == {"reason": ["Give the reason for this change."]}
    assert AccountChange.objects.count() == 0


@pytest.mark.django_db
def test_changes_are_audited_field_by_field(users):
    dm, nurse = users["data_manager"], users["nurse"]
    account_update(account=nurse, first_name="Ann", last_name=nurse.last_name, email="ann@example.org",
                   is_active=False, by=dm, reason="left the unit")
    account_role_set(account=nurse, role="monitor", by=dm, reason="moved to monitoring")
    nurse.refresh_from_db()
    assert (nurse.first_name, nurse.email, nurse.is_active) == ("Ann", "ann@example.org", False)
    old_first = [c for c in changes(nurse) if c[1] == "first_name"][0][2]
    assert changes(nurse) == [
        ("details", "first_name", old_first, "Ann", "data_manager", "left the unit"),
        ("details", "email", "nurse@example.org", "ann@example.org", "data_manager", "left the unit"),
        ("activation", "is_active", "active", "inactive", "data_manager", "left the unit"),
        ("role", "role", "Study nurse", "Monitor", "data_manager", "moved to monitoring"),
    ]


@pytest.mark.django_db
def test_no_deactivating_oneself_and_no_reach_to_superusers(users):
    dm = users["data_manager"]
    with pytest.raises(ValidationError, match="your own account"):
        account_update(account=dm, first_name="", last_name="", email="", is_active=False, by=dm, reason="bye")
    root = get_user_model().objects.create_superuser("root", password="x-long-password")
    with pytest.raises(PermissionDenied):
        account_update(account=root, first_name="", last_name="", email="", is_active=False, by=dm, reason="x")
    with pytest.raises(PermissionDenied):
        password_link_issue(account=root, by=dm, reason="x")
    with pytest.raises(PermissionDenied):  # only data managers manage accounts
        account_role_set(account=dm, role="nurse", by=users["physician"], reason="x")


@pytest.mark.django_db
def test_a_new_account_has_no_password_until_its_owner_sets_one(users):
    dm = users["data_manager"]
    account = account_create(username="nina", first_name="Nina", last_name="Nurse", email="", role="nurse", by=dm,
                             reason="new study nurse")
    assert not account.has_usable_password() and role_of(account).code == "nurse"
    with pytest.raises(ValidationError, match="no e-mail address"):  # the link goes only to its owner
        password_link_issue(account=account, by=dm, reason="first password")
    account_update(account=account, first_name="Nina", last_name="Nurse", email="nina@example.org", is_active=True,
                   by=dm, reason="her address")
    with pytest.raises(ValidationError, match="already exists"):
        account_create(username="nina", first_name="", last_name="", email="", role="", by=dm, reason="again")
    token = password_link_issue(account=account, by=dm, reason="first password")
    password_link_use(token=token, password=NEW_PASSWORD)
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD)
    kinds = [c[0] for c in changes(account)]
    assert kinds[0] == "created" and kinds[-2:] == ["password_link", "password_set"]
    assert changes(account)[-1][4] == "nina"  # set by its owner


@pytest.mark.django_db
def test_a_password_link_works_once_and_a_newer_link_replaces_it(users):
    dm, nurse = users["data_manager"], users["nurse"]
    first = password_link_issue(account=nurse, by=dm, reason="forgot")
    second = password_link_issue(account=nurse, by=dm, reason="lost the first link")
    assert password_link_open(first) is None and password_link_open(second) is not None
    assert not PasswordLink.objects.filter(token_hash__contains=second).exists()  # only the hash is kept
    password_link_use(token=second, password=NEW_PASSWORD)
    with pytest.raises(ValidationError, match="not valid any more"):
        password_link_use(token=second, password="another-long-passphrase-7")
    nurse.refresh_from_db()
    assert nurse.check_password(NEW_PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize("hours, usable", [(23.9, True), (24.01, False)])
def test_a_password_link_expires(users, settings, hours, usable):
    settings.PASSWORD_LINK_HOURS = 24
    token = password_link_issue(account=users["nurse"], by=users["data_manager"], reason="forgot")
    with time_machine.travel(timezone.now() + timedelta(hours=hours)):
        assert (password_link_open(token) is not None) is usable


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["short", "password123", "12345678901"])
def test_a_weak_password_is_refused_and_the_link_kept(users, password):
    token = password_link_issue(account=users["nurse"], by=users["data_manager"], reason="forgot")
    with pytest.raises(ValidationError):
        password_link_use(token=token, password=password)
    assert password_link_open(token) is not None


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_approvals_approve_once(users, second_manager):
    """Two posts of the approval at the same moment, each on its own database connection: the request's row lock
    lets one decide; the other finds it decided."""
    import threading

    from django.db import connection

    request = role_request_create(account=users["nurse"], role="physician", by=users["data_manager"], reason="r")
    barrier, outcomes = threading.Barrier(2), []

    def approve():
        try:
            barrier.wait()
            role_request_decide(request_id=request.pk, approve=True, by=second_manager, reason="ok")
            outcomes.append("approved")
        except AlreadyDecided:
            outcomes.append("already decided")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["already decided", "approved"]
    assert AccountChange.objects.filter(kind__in=["role", "role_approved"]).count() == 2
