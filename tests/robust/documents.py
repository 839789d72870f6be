"""The demo study document, dated as of today, and the state of the whole database, for the import tests."""

import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.utils import timezone

from itp_trial.management.commands.load_demo import DEMO_AS_OF, DEMO_FILE, shift_dates


def demo_document() -> dict:
    return shift_dates(json.loads(Path(DEMO_FILE).read_text()), (timezone.localdate() - DEMO_AS_OF).days)


def database_state() -> dict[str, tuple[int, int | None]]:
    """Every table's row count and highest id (history tables included; sessions and drafts are not study data)."""
    from django.db.models import Max

    state = {}
    for model in apps.get_models():
        if model._meta.app_label in {"sessions", "drafts", "admin"}:
            continue
        state[model._meta.label] = (model._base_manager.count(),
                                    model._base_manager.aggregate(top=Max("pk"))["top"]
                                    if model._meta.pk.get_internal_type() in {"AutoField", "BigAutoField"} else None)
    return state


def user_count() -> int:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username=settings.IMPORT_USERNAME).count()
