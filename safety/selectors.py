"""Reads for the safety panel of the patient page."""

from datetime import date

from patients.models import Patient


def safety_panel(*, patient: Patient, today: date) -> dict | None:
    """What the patient page shows about safety (None: nothing recorded yet, panel hidden)."""
    return None
