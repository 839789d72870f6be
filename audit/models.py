"""The base every clinical record shares: full history with reasons, a version, and no hard delete."""

from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords


class HardDeleteRefused(Exception):
    """Clinical records are never hard-deleted; mark them instead (e.g. off study)."""


class NoDeleteQuerySet(models.QuerySet):
    def delete(self):
        raise HardDeleteRefused(f"{self.model._meta.label} records cannot be deleted")


class ClinicalRecord(models.Model):
    """Abstract base of subject data: every create and change is kept with who, when and why.

    `version` starts at 1 and is raised by the casebook write path on every save (kept in the history too):
    an edit carries the version its user saw, and a stale one is refused (casebook.writes).
    """

    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField("version", default=1, editable=False, validators=[MinValueValidator(1)])

    history = HistoricalRecords(inherit=True)
    objects = NoDeleteQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise HardDeleteRefused(f"{self._meta.label} records cannot be deleted")
