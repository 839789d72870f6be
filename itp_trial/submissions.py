"""Saved once: a create form carries a one-time key (`{% submission_key %}`); the view claims it in the
transaction that writes the record. The same form posted again (double tap, the browser's retry, the nurse
resubmitting after an error page) finds its key taken and writes nothing. A form that failed validation
rolls the claim back with everything else, so correcting and resending it works.
"""

import uuid

from .models import FormSubmission

FIELD = "submission_key"


def submission_key(data) -> uuid.UUID | None:
    """The key a POST carried, or None (a client that sent none gets no duplicate protection)."""
    try:
        return uuid.UUID(str(data.get(FIELD, "")))
    except ValueError:
        return None


def submission_claim(*, key: uuid.UUID | None, user, path: str) -> bool:
    """Inside the transaction of the write: True the first time `key` is seen, False if it was saved before.
    Two identical posts at the same moment: the second waits for the first's commit, then gets False."""
    if key is None:
        return True
    _, created = FormSubmission.objects.get_or_create(key=key, defaults={"user": user, "path": path[:200]})
    return created
