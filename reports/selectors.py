"""Study-level reads: the response tables computed from the stored visits (one query)."""

from visits.models import Visit
from visits.schedule import BASELINE, PROTOCOL_SCHEDULE

from .tables import VisitRow, response_tables


def study_response_report() -> dict:
    rows = (
        VisitRow(patient_id, code, category, platelets)
        for patient_id, code, category, platelets in Visit.objects.filter(slot__isnull=False)
        .values_list("patient_id", "slot__code", "category", "platelets")
        .iterator()
    )
    return response_tables(rows, timepoints=[v.code for v in PROTOCOL_SCHEDULE.timepoints], baseline_code=BASELINE)
