"""The one way services write a clinical record: validated, attributed and with a reason."""

from django.core.exceptions import ValidationError
from django.db import models

REASON_REQUIRED = "Give a reason for changing a saved record."


def require_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    return reason


def audited_save(instance: models.Model, *, user, reason: str = "", validate: bool = True) -> models.Model:
    """Save `instance` so its history row records `user` and `reason`.

    A record that already exists needs a reason for change.
    """
    if instance.pk is not None and instance._state.adding is False:
        reason = require_reason(reason)
    if validate:
        instance.full_clean()
    instance._history_user = user
    instance._change_reason = reason or "created"
    instance.save()
    return instance
