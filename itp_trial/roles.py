"""The study's roles, declared once in code and applied to Django groups by `sync_roles`.

Capabilities are custom permissions on patients.Patient; views check the capability,
never the role name, so a study can give a role more or less without touching views.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

VIEW_STUDY = "patients.view_study"
ENTER_DATA = "patients.enter_data"
REVIEW_DATA = "patients.review_data"
VIEW_REPORTS = "patients.view_reports"
EXPORT_DATA = "patients.export_data"
MANAGE_USERS = "patients.manage_users"
UNLOCK_RECORDS = "patients.unlock_records"
RAISE_QUERIES = "patients.raise_queries"
ANSWER_QUERIES = "patients.answer_queries"
VERIFY_SOURCE = "patients.verify_source"

# (codename, description) for Patient.Meta.permissions
CAPABILITIES = (
    ("view_study", "Can read all study data"),
    ("enter_data", "Can enter and correct clinical data"),
    ("review_data", "Can review and sign off clinical data"),
    ("view_reports", "Can read the study's summary tables"),
    ("export_data", "Can export study datasets"),
    ("manage_users", "Can manage user accounts (admin)"),
    ("unlock_records", "Can unlock signed records (voids the signature)"),
    ("raise_queries", "Can raise, close and re-open data queries"),
    ("answer_queries", "Can answer data queries"),
    ("verify_source", "Can mark records as verified against source documents"),
)

# Data managers look accounts up in the admin; they change them on the account pages (accounts/), where every
# change is audited, a sign-off role needs a second data manager and nobody sets another person's password.
USER_ADMIN_PERMISSIONS = (
    "auth.view_user",
    "auth.view_group",
)


@dataclass(frozen=True)
class Role:
    code: str
    label: str | Promise  # shown in the reader's language; the code is what is stored
    permissions: tuple[str, ...]


NURSE = Role("nurse", _("Study nurse"), (VIEW_STUDY, ENTER_DATA, ANSWER_QUERIES))
PHYSICIAN = Role("physician", _("Physician"), (VIEW_STUDY, ENTER_DATA, REVIEW_DATA, VIEW_REPORTS, ANSWER_QUERIES))
MONITOR = Role("monitor", _("Monitor"), (VIEW_STUDY, VIEW_REPORTS, RAISE_QUERIES, VERIFY_SOURCE))
DATA_MANAGER = Role(
    "data_manager",
    _("Data manager"),
    (VIEW_STUDY, VIEW_REPORTS, EXPORT_DATA, MANAGE_USERS, UNLOCK_RECORDS, RAISE_QUERIES, *USER_ADMIN_PERMISSIONS),
)

ROLES: tuple[Role, ...] = (NURSE, PHYSICIAN, MONITOR, DATA_MANAGER)
ROLES_BY_CODE = {role.code: role for role in ROLES}


def role_of(user) -> Role | None:
    """The user's study role (the first matching group), None for users without one. The group names come from
    the shared cache that holds the user's permissions (itp_trial.permission_cache), dropped when they change."""
    from .permission_cache import group_names_cached  # here: the models read this module while they load

    if not user.is_authenticated:
        return None
    names = group_names_cached(user, lambda: {group.name for group in user.groups.all()})
    return next((role for role in ROLES if role.code in names), None)


def request_role(request) -> Role | None:
    """The signed-in user's role, read once per request: the navigation, the help page and the inbox badge all
    ask for it. Kept on the request, never on a user object (a role changed during a request is read afresh by
    `role_of`)."""
    try:
        return request.study_role
    except AttributeError:
        request.study_role = role_of(request.user)
        return request.study_role
