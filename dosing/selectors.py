"""Reads for the dosing panel of the patient page."""

from datetime import date

from patients.models import Patient


def dosing_panel(*, patient: Patient, today: date) -> dict | None:
    """What the patient page shows about dosing (None: nothing recorded yet, panel hidden)."""
    return None
