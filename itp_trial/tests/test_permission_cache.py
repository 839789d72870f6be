"""Permissions are read from the database once per user and kept in the shared cache until a role changes."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from itp_trial.roles import ENTER_DATA, REVIEW_DATA, VIEW_STUDY, role_of

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The user as the next request loads it (no per-request permission memo)."""
    return get_user_model().objects.get(pk=user.pk)


def _queries_of_has_perm(user, perm):
    with CaptureQueriesContext(connection) as captured:
        answer = user.has_perm(perm)
    return answer, len(captured)


def test_a_second_request_reads_no_permission_from_the_database(nurse):
    assert _queries_of_has_perm(_fresh(nurse), ENTER_DATA) == (True, 2)  # the user's own and the groups'
    assert _queries_of_has_perm(_fresh(nurse), ENTER_DATA) == (True, 0)
    assert _queries_of_has_perm(_fresh(nurse), REVIEW_DATA) == (False, 0)


def _to_physician(user):
    user.groups.set([Group.objects.get(name="physician")])


def _no_group(user):
    user.groups.clear()


def _group_loses_enter_data(user):
    Group.objects.get(name="nurse").permissions.remove(Permission.objects.get(codename="enter_data"))


def _group_gains_review(user):
    Group.objects.get(name="nurse").permissions.add(Permission.objects.get(codename="review_data"))


def _own_permission(user):
    user.user_permissions.add(Permission.objects.get(codename="review_data"))


def _group_deleted(user):
    Group.objects.get(name="nurse").delete()


def _added_from_the_group_side(user):
    Group.objects.get(name="physician").user_set.add(user)


def _superuser(user):
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])


@pytest.mark.parametrize("change, expected", [
    (_to_physician, {VIEW_STUDY: True, ENTER_DATA: True, REVIEW_DATA: True}),
    (_no_group, {VIEW_STUDY: False, ENTER_DATA: False, REVIEW_DATA: False}),
    (_group_loses_enter_data, {VIEW_STUDY: True, ENTER_DATA: False, REVIEW_DATA: False}),
    (_group_gains_review, {VIEW_STUDY: True, ENTER_DATA: True, REVIEW_DATA: True}),
    (_own_permission, {VIEW_STUDY: True, ENTER_DATA: True, REVIEW_DATA: True}),
    (_group_deleted, {VIEW_STUDY: False, ENTER_DATA: False, REVIEW_DATA: False}),
    (_added_from_the_group_side, {VIEW_STUDY: True, ENTER_DATA: True, REVIEW_DATA: True}),
    (_superuser, {VIEW_STUDY: True, ENTER_DATA: True, REVIEW_DATA: True}),
])
def test_a_role_change_is_seen_at_the_next_request(nurse, change, expected):
    cached = _fresh(nurse)
    assert {perm: cached.has_perm(perm) for perm in expected} == {VIEW_STUDY: True, ENTER_DATA: True,
                                                                   REVIEW_DATA: False}
    change(_fresh(nurse))
    after = _fresh(nurse)
    assert {perm: after.has_perm(perm) for perm in expected} == expected


def test_an_inactive_user_has_no_permission_even_when_cached(nurse):
    assert _fresh(nurse).has_perm(ENTER_DATA)
    nurse.is_active = False
    nurse.save(update_fields=["is_active"])
    assert not _fresh(nurse).has_perm(ENTER_DATA)


def _role_code(user):
    role = role_of(user)
    return role and role.code


def test_the_role_is_read_from_the_cache_after_the_first_request(nurse):
    before, again = _fresh(nurse), _fresh(nurse)
    with CaptureQueriesContext(connection) as first:
        assert _role_code(before) == "nurse"
    with CaptureQueriesContext(connection) as second:
        assert _role_code(again) == "nurse"
    assert (len(first), len(second)) == (1, 0)


@pytest.mark.parametrize("change, expected", [
    (_to_physician, "physician"),
    (_no_group, None),
    (_group_deleted, None),
    (_added_from_the_group_side, "nurse"),  # the first of the study's roles among the user's groups
])
def test_a_role_change_is_seen_by_the_next_request(nurse, change, expected):
    assert _role_code(_fresh(nurse)) == "nurse"  # now cached
    change(_fresh(nurse))
    assert _role_code(_fresh(nurse)) == expected


def test_what_a_rolled_back_transaction_read_is_not_kept(nurse):
    assert _role_code(_fresh(nurse)) == "nurse" and _fresh(nurse).has_perm(ENTER_DATA)  # cached
    with pytest.raises(RuntimeError), transaction.atomic():
        _to_physician(_fresh(nurse))
        inside = _fresh(nurse)
        assert _role_code(inside) == "physician" and inside.has_perm(REVIEW_DATA)  # read inside: not kept
        raise RuntimeError("rolled back")
    after = _fresh(nurse)
    assert _role_code(after) == "nurse" and not after.has_perm(REVIEW_DATA)
