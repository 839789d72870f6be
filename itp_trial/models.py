"""Project-level records that belong to no clinical domain."""

from django.conf import settings
from django.db import models


class FormSubmission(models.Model):
    """A create form that was saved, by the one-time key it carried: the same form sent twice (a double tap,
    a retry after an error) is recognised and saves nothing the second time."""

    key = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.path} {self.key}"
