"""Permissions are read from the database once per user and kept in the shared cache until a role changes."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from itp_trial.roles import ENTER_DATA, REVIEW_DATA, VIEW_STUDY

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
