"""The interchange sections the safety app stores (see reports/interchange_base.py)."""

SAFETY_PATIENT_SECTIONS: tuple = ()
SAFETY_STUDY_SECTIONS: tuple = ()
