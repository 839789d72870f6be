from django.apps import AppConfig, apps
from django.contrib.admin.apps import AdminConfig
from django.db.models.signals import post_migrate


def _sync_roles_after_migrate(sender, **kwargs):
    # Permissions are created by post_migrate; groups follow right after.
    from .role_sync import roles_sync

    roles_sync()


class ItpTrialConfig(AppConfig):
    name = "itp_trial"
    verbose_name = "ITP trial"

    def ready(self):
        from . import checks  # noqa: F401  (registers the schedule system check)
        from .permission_cache import connect

        connect()  # cached permissions are dropped when a role changes

        # The capabilities are permissions of patients.Patient: sync once that app's permissions exist.
        post_migrate.connect(_sync_roles_after_migrate, sender=apps.get_app_config("patients"),
                             dispatch_uid="itp_trial_roles")


class StudyAdminConfig(AdminConfig):
    default_site = "itp_trial.admin_site.StudyAdminSite"
