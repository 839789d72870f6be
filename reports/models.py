from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportLog(models.Model):
    """One row per dataset export: who, when, which dataset, how many rows (audit of data leaving the system)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    actor = models.CharField(max_length=150, help_text="username, or the account that ran the command")
    via = models.CharField(max_length=16, choices=[("web", _("web page")),
                                                   ("command", _("command line (export_csv, export_study)")),
                                                   ("api", _("REST API"))])
    dataset = models.CharField(max_length=40)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)
    rows = models.PositiveIntegerField(null=True, help_text="data rows written (header excluded); empty if cut off")

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.dataset} by {self.actor} at {self.started_at:%Y-%m-%d %H:%M}"
