import subprocess
import sys

import pytest
from django.contrib.auth.models import Group

from itp_trial.role_sync import roles_sync
from itp_trial.roles import ROLES


@pytest.mark.django_db
def test_groups_hold_exactly_the_declared_permissions():
    roles_sync()
    roles_sync()  # idempotent
    for role in ROLES:
        group = Group.objects.get(name=role.code)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert held == set(role.permissions), role.code


@pytest.mark.django_db
def test_a_permission_granted_by_hand_is_removed_by_sync():
    from django.contrib.auth.models import Permission

    monitor = Group.objects.get(name="monitor")
    monitor.permissions.add(Permission.objects.get(codename="enter_data"))
    roles_sync()
    assert not monitor.permissions.filter(codename="enter_data").exists()


def test_production_settings_refuse_to_start_without_a_secret_key():
    code = "import django, os; os.environ.pop('SECRET_KEY', None); django.setup()"
    env = {"DJANGO_SETTINGS_MODULE": "itp_trial.settings.production", "DATABASE_URL": "postgres://x@h/db",
           "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr
