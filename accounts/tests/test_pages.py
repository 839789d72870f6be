"""Account pages through Django's test client: forms, refusals next to their fields, the approval page's faults,
the link shown once, the public password page, the account changes dataset."""

import csv
import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import AccountChange, RoleRequest
from accounts.services import password_link_issue, role_request_create
from itp_trial.roles import role_of
from tests.factories import PASSWORD, user_with_role

NEW_PASSWORD = "a-fresh-long-passphrase-42"


@pytest.fixture
def dm2(users):
    return user_with_role("data_manager", "dm2")


def url(name, **kwargs):
    return reverse(f"accounts:{name}", kwargs=kwargs)


@pytest.mark.django_db
def test_create_an_account_mails_its_first_password_link_to_the_owner_only(client, data_manager, mailoutbox):
    client.force_login(data_manager)
    response = client.post(url("create"), {"username": "nina", "first_name": "Nina", "last_name": "Ng",
                                           "email": "nina@example.org", "role": "nurse",
                                           "reason": "new study nurse"}, follow=True)
    account = get_user_model().objects.get(username="nina")
    page = response.content.decode()
    assert 'data-testid="link-sent"' in page and "n***@example.org" in page
    assert "/accounts/password/" not in page  # the data manager never sees the link
    [mail] = mailoutbox
    assert mail.to == ["nina@example.org"] and "/accounts/password/" in mail.body
    assert 'data-testid="link-sent"' not in client.get(url("link_shown", account_pk=account.pk)).content.decode()
    assert role_of(account).code == "nurse" and not account.has_usable_password()


@pytest.mark.django_db
def test_an_account_without_an_address_gets_no_link(client, data_manager, mailoutbox):
    client.force_login(data_manager)
    response = client.post(url("create"), {"username": "nina", "first_name": "Nina", "last_name": "Ng",
                                           "email": "", "role": "nurse", "reason": "new study nurse"}, follow=True)
    assert "has no e-mail address" in response.content.decode() and mailoutbox == []
    account = get_user_model().objects.get(username="nina")
    refused = client.post(url("password_link", account_pk=account.pk), {"reason": "first password"})
    assert refused.status_code == 400 and "no e-mail address" in refused.content.decode()
    assert mailoutbox == []


@pytest.mark.django_db
@pytest.mark.parametrize("data, field, message", [
    ({"username": "", "reason": "x"}, "username", "This field is required."),
    ({"username": "nurse", "reason": "x"}, "username", "already exists"),
    ({"username": "bad name!", "reason": "x"}, "username", "Enter a valid username"),
    ({"username": "nina", "reason": ""}, "reason", "Give the reason for this change."),
    ({"username": "nina", "role": "physician", "reason": "x"}, "role", "Select a valid choice"),
    ({"username": "nina", "email": "not-an-address", "reason": "x"}, "email", "valid email"),
])
def test_create_refusals_keep_what_was_typed(client, data_manager, data, field, message):
    client.force_login(data_manager)
    response = client.post(url("create"), {"first_name": "Typed-Name", **data})
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in e for e in form.errors[field]), form.errors
    assert "Typed-Name" in response.content.decode()
    assert not get_user_model().objects.filter(first_name="Typed-Name").exists()


@pytest.mark.django_db
def test_role_page_gives_other_roles_at_once_and_requests_sign_off(client, users, data_manager):
    client.force_login(data_manager)
    monitor = users["monitor"]
    assert client.post(url("role", account_pk=monitor.pk), {"role": "nurse", "reason": "back on the ward"}
                       ).status_code == 302
    assert role_of(monitor).code == "nurse"
    client.post(url("role", account_pk=monitor.pk), {"role": "physician", "reason": "now a physician"})
    assert role_of(monitor).code == "nurse"  # requested, not given
    assert RoleRequest.objects.get().status == RoleRequest.Status.PENDING
    missing = client.post(url("role", account_pk=monitor.pk), {"role": "monitor", "reason": ""})
    assert missing.status_code == 400 and "Give the reason" in missing.content.decode()


@pytest.mark.django_db
def test_double_submitted_approval_approves_once(client, users, data_manager, dm2):
    request = role_request_create(account=users["nurse"], role="physician", by=data_manager, reason="qualified")
    client.force_login(dm2)
    data = {"reason": "checked", "decision": "approve"}
    first = client.post(url("decide", request_pk=request.pk), data)
    second = client.post(url("decide", request_pk=request.pk), data)
    assert first.status_code == 302
    assert second.status_code == 409
    assert "Nothing was changed: this request had already been decided" in second.content.decode()
    assert AccountChange.objects.filter(kind="role_approved").count() == 1
    assert AccountChange.objects.filter(kind="role").count() == 1
    assert role_of(users["nurse"]).code == "physician"


@pytest.mark.django_db
def test_a_stale_approval_page_says_the_request_was_decided(client, users, data_manager, dm2):
    request = role_request_create(account=users["nurse"], role="physician", by=data_manager, reason="qualified")
    third = user_with_role("data_manager", "dm3")
    client.force_login(dm2)
    assert "Approve" in client.get(url("decide", request_pk=request.pk)).content.decode()  # dm2 opens the page
    other = type(client)()
    other.force_login(third)
    other.post(url("decide", request_pk=request.pk), {"reason": "not needed", "decision": "refuse"})  # dm3 first
    response = client.post(url("decide", request_pk=request.pk), {"reason": "fine", "decision": "approve"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "already been decided" in page and "Refused by dm3" in page
    assert role_of(users["nurse"]).code == "nurse"
    page = client.get(url("decide", request_pk=request.pk)).content.decode()
    assert 'data-testid="decided"' in page and 'value="approve"' not in page


@pytest.mark.django_db
@pytest.mark.parametrize("who, shown", [("data_manager", "own-request"), ("dm2", 'value="approve"')])
def test_the_requester_sees_no_buttons(client, users, data_manager, dm2, who, shown):
    request = role_request_create(account=users["nurse"], role="physician", by=data_manager, reason="qualified")
    client.force_login({"data_manager": data_manager, "dm2": dm2}[who])
    assert shown in client.get(url("decide", request_pk=request.pk)).content.decode()
    refused = client.post(url("decide", request_pk=request.pk), {"reason": "x", "decision": "approve"})
    if who == "data_manager":
        assert refused.status_code == 400 and "a second data manager decides it" in refused.content.decode()
        assert RoleRequest.objects.get().status == RoleRequest.Status.PENDING


@pytest.mark.django_db
@pytest.mark.parametrize("decision, says", [
    ("", "Choose Approve or Refuse"),
    ("maybe", "Choose Approve or Refuse"),
    # a NUL byte never reaches the page (itp_trial.hostile): the app's 400 page
    ("approve\x00", "This request could not be understood"),
])
def test_a_decision_must_be_approve_or_refuse(client, users, data_manager, dm2, decision, says):
    request = role_request_create(account=users["nurse"], role="physician", by=data_manager, reason="qualified")
    client.force_login(dm2)
    response = client.post(url("decide", request_pk=request.pk), {"reason": "x", "decision": decision})
    assert response.status_code == 400 and says in response.content.decode()
    assert RoleRequest.objects.get().status == RoleRequest.Status.PENDING


@pytest.mark.django_db
def test_password_page_sets_the_owners_password(client, users, data_manager):
    nurse = users["nurse"]
    token = password_link_issue(account=nurse, by=data_manager, reason="forgot it")
    page = url("set_password", token=token)
    assert client.get(page).status_code == 200
    weak = client.post(page, {"new_password1": "short", "new_password2": "short"})
    assert weak.status_code == 400 and "too short" in weak.content.decode()
    mismatch = client.post(page, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"})
    assert mismatch.status_code == 400
    done = client.post(page, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("login")
    assert client.login(username="nurse", password=NEW_PASSWORD)
    assert not client.login(username="nurse", password=PASSWORD)
    again = type(client)().get(page)
    assert again.status_code == 410 and "not valid any more" in again.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("token, status", [("x", 410), ("a" * 43, 410), ("a" * 5000, 410), ("é", 410),
                                           ("%00", 400)])  # a NUL byte: the app's 400 page (itp_trial.hostile)
def test_unknown_password_links_are_refused_plainly(client, token, status):
    assert client.get(f"/accounts/password/{token}/").status_code == status


@pytest.mark.django_db
def test_an_expired_link_is_refused(client, users, data_manager, settings):
    token = password_link_issue(account=users["nurse"], by=data_manager, reason="forgot it")
    with time_machine.travel(timezone.now() + timedelta(hours=settings.PASSWORD_LINK_HOURS, minutes=1)):
        response = client.post(url("set_password", token=token),
                               {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 410
    users["nurse"].refresh_from_db()
    assert users["nurse"].check_password(PASSWORD)


@pytest.mark.django_db
def test_sign_ins_and_account_audit_pages(client, users, data_manager):
    client.post(reverse("login"), {"username": "nurse", "password": "wrong"})
    client.force_login(data_manager)
    client.post(url("edit", account_pk=users["nurse"].pk), {"first_name": "Ann", "last_name": "", "email": "",
                                                            "is_active": "on", "reason": "name corrected"})
    sign_ins = client.get(url("sign_ins") + "?user=nurse").content.decode()
    assert "wrong password" in sign_ins and "login page" in sign_ins
    audit = client.get(url("changes")).content.decode()
    assert "name corrected" in audit and "Ann" in audit
    assert client.get(url("sign_ins") + "?user=%00").status_code == 400  # a NUL byte: the app's 400 page


@pytest.mark.django_db
def test_account_changes_dataset_and_codebook(client, users, data_manager):
    from accounts.services import account_role_set

    account_role_set(account=users["monitor"], role="nurse", by=data_manager, reason="back on the ward")
    client.force_login(data_manager)
    assert "Account changes" in client.get(reverse("reports:exports")).content.decode()
    body = b"".join(client.get(reverse("reports:export", kwargs={"name": "account_changes"})).streaming_content)
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [(r["account"], r["change"], r["field"], r["old"], r["new"], r["changed_by"], r["reason"])
            for r in rows] == [("monitor", "role", "role", "Monitor", "Study nurse", "data_manager",
                                "back on the ward")]
    assert rows[0]["changed_at"].endswith("Z")
    codebook = client.get(reverse("reports:codebook", kwargs={"name": "account_changes"})).content.decode()
    assert "changed_by" in codebook and "role_approved" in codebook


@pytest.mark.django_db
@pytest.mark.parametrize("language, nurse_role, manager_role", [
    ("en", "Study nurse", "Data manager"),
    ("zh-hans", "研究护士", "数据管理员"),
])
def test_the_account_list_names_roles_in_the_readers_language(client, users, data_manager, language,
                                                              nurse_role, manager_role):
    client.force_login(data_manager)
    page = client.get(url("list"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    with translation.override(language):
        role_cell = f'data-label="{gettext("Role")}">'
    roles = set(re.findall(re.escape(role_cell) + r"([^<]*?)(?: <span|</td>)", page))
    assert {nurse_role, manager_role} <= roles
    assert not roles & {"nurse", "data_manager", "physician", "monitor"}  # not the stored codes
