"""Apply the roles declared in itp_trial.roles to Django groups (idempotent)."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .roles import ROLES


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def roles_sync() -> list[str]:
    """Create one group per role holding exactly the role's permissions."""
    names = []
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role.code)
        group.permissions.set([_permission(p) for p in role.permissions])
        names.append(group.name)
    return names
