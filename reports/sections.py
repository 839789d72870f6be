"""The sections of the interchange format stored by apps other than patients and visits.

Listed here explicitly, in the order they are written (doses before troughs: a trough refers to the
dose in force). An app adds its sections to its own `<app>/interchange.py` and they are picked up here.
"""

from dosing.interchange import DOSING_SECTIONS
from safety.interchange import SAFETY_PATIENT_SECTIONS, SAFETY_STUDY_SECTIONS

PATIENT_SECTIONS = (*DOSING_SECTIONS, *SAFETY_PATIENT_SECTIONS)
STUDY_SECTIONS = (*SAFETY_STUDY_SECTIONS,)
