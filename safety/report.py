"""What the safety app adds to the study report (study_report --json and the study response page)."""


def safety_report() -> dict:
    return {}
