"""What a user had typed into a form when their session ended, kept until they sign in again.

A draft is not a record: it is never read by the casebook and writes nothing clinical. It only refills the
form the user was on, which they then send again through the normal write path (validation, version check,
one-time token). Drafts are deleted once shown, and expire after settings.DRAFT_MAX_AGE seconds.
"""

from django.conf import settings
from django.db import models


class Draft(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    path = models.CharField("form page", max_length=500)
    data = models.JSONField("fields typed", default=dict)  # {field name: [values]}, as the form posted them
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "path"], name="one_draft_per_user_and_form")]

    def __str__(self) -> str:
        return f"{self.user} {self.path} ({self.saved_at:%Y-%m-%d %H:%M})"
