from django.apps import AppConfig


class CasebookConfig(AppConfig):
    name = "casebook"
    verbose_name = "Casebook: record types and the audited write path"
