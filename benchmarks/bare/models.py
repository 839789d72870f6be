from django.db import models


class Entry(models.Model):
    """A row as small as a visit's measured values: what one INSERT and one indexed read cost."""

    key = models.IntegerField(db_index=True)
    entry_date = models.DateField()
    value = models.DecimalField(max_digits=6, decimal_places=1)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.key} {self.entry_date}"
