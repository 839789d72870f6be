"""Data queries and source-data verification marks, on any declared record type.

A record is addressed as (record-type key, primary key), a field by its model field name (blank: the record as a
whole), so one mechanism covers every type in the project's RECORD_TYPES. Nothing here is ever deleted: a query is
closed, a message stays, a verification is superseded by the next one (history keeps the old).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audit.models import HardDeleteRefused, NoDeleteQuerySet


class QueryStatus(models.TextChoices):
    OPEN = "open", _("open")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")


class MessageKind(models.TextChoices):
    QUESTION = "question", _("question")
    ANSWER = "answer", _("answer")
    CLOSE = "close", _("closed")
    REOPEN = "reopen", _("re-opened")


class Kept(models.Model):
    """Monitoring rows are kept: no hard delete, every change in the history."""

    objects = NoDeleteQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise HardDeleteRefused(f"{self._meta.label} rows cannot be deleted")


class Query(Kept):
    """A question about one field of one record (or the record as a whole), and its status."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    record_type = models.CharField("record type", max_length=40)
    record_id = models.BigIntegerField("record id")
    field = models.CharField("field", max_length=60, blank=True)  # blank: the whole record
    status = models.CharField(max_length=10, choices=QueryStatus.choices, default=QueryStatus.OPEN)
    # Automatic queries: the rule that raised it and its cause, one query per cause whatever how often rules run.
    rule = models.CharField("rule", max_length=40, blank=True)
    cause = models.CharField("cause", max_length=120, null=True, blank=True, unique=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField("raised at (UTC)")
    # Since when the query waits for its next step (an answer while open, a decision while answered).
    waiting_since = models.DateTimeField("waiting since (UTC)")
    closed_at = models.DateTimeField("closed at (UTC)", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("data query")
        verbose_name_plural = _("data queries")
        ordering = ["waiting_since", "id"]
        indexes = [models.Index(fields=["status", "patient"]), models.Index(fields=["record_type", "record_id"])]

    def __str__(self) -> str:
        where = f"{self.record_type} {self.record_id}" + (f" · {self.field}" if self.field else "")
        return f"Query {self.pk} on {where} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status != QueryStatus.CLOSED


class QueryMessage(Kept):
    """One message of a query's thread; an answer may carry the correction it made (the record's new version)."""

    query = models.ForeignKey(Query, on_delete=models.PROTECT, related_name="messages")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    kind = models.CharField(max_length=10, choices=MessageKind.choices)
    text = models.TextField("message", max_length=2000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField("written at (UTC)")
    # A correction made with an answer: the record's version it produced and that version's history row.
    correction_version = models.PositiveIntegerField(null=True, blank=True)
    correction_history_id = models.BigIntegerField(null=True, blank=True)
    correction_field = models.CharField(max_length=60, blank=True)
    correction_old = models.CharField(max_length=250, blank=True)
    correction_new = models.CharField(max_length=250, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["written_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} on query {self.query_id}"


class Verification(Kept):
    """A monitor's mark that a record (field blank) or one field was checked against the source document.

    It holds the record's version it saw: once the record's version moves past it, the record is "changed since
    verification" and the mark no longer counts (no hook in the write path needed).
    """

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    record_type = models.CharField("record type", max_length=40)
    record_id = models.BigIntegerField("record id")
    field = models.CharField("field", max_length=60, blank=True)
    record_version = models.PositiveIntegerField("record version verified")
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    verified_at = models.DateTimeField("verified at (UTC)")
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["record_type", "record_id", "field"]
        constraints = [models.UniqueConstraint(fields=["record_type", "record_id", "field"],
                                               name="one_verification_per_record_field")]
        indexes = [models.Index(fields=["patient"])]

    def __str__(self) -> str:
        return f"{self.record_type} {self.record_id} {self.field or 'record'} verified at version {self.record_version}"
