"""What the dosing app adds to the study report (study_report --json and the study response page)."""


def dosing_report() -> dict:
    return {}
