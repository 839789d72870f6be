"""The dosing app's CSV datasets: sirolimus doses, trough levels, concomitant medications."""

from collections.abc import Iterator

from casebook.datasets import CHUNK, Column, day

from .models import ConMed, DoseChange, Trough
from .protocol import current_dosing_protocol
from .tdm import classify_trough

DOSE_COLUMNS = (
    Column("study_id", "Study id", "text"),
    Column("start_date", "Dose in force from", "date"),
    Column("day", "Days since day 0", "integer", "days"),
    Column("mg_per_day", "Sirolimus dose (0 = stopped)", "decimal", "mg/day"),
    Column("phase", "Phase", "text", allowed="start, maintenance, adjustment, taper, stop"),
    Column("change_reason", "Reason for change", "text"),
    Column("outside_protocol_range", "Outside the protocol range for the age group", "boolean",
           allowed="true, false"),
    Column("outside_range_reason", "Reason given for a dose outside the range", "text"),
    Column("prescribed_by", "Prescribed by", "text"),
)


def dose_rows() -> Iterator[tuple]:
    changes = DoseChange.objects.order_by("patient__study_id", "start_date", "id").values_list(
        "patient__study_id", "start_date", "patient__start_date", "mg_per_day", "phase", "change_reason",
        "out_of_range_reason", "prescribed_by")
    for sid, start, day0, mg, phase, reason, range_reason, prescriber in changes.iterator(chunk_size=CHUNK):
        yield (sid, start, (start - day0).days, mg, phase, reason or None, bool(range_reason), range_reason or None,
               prescriber)


TROUGH_COLUMNS = (
    Column("study_id", "Study id", "text"),
    Column("sample_date", "Sample date", "date"),
    Column("day", "Days since day 0", "integer", "days"),
    Column("sample_time", "Sample time (local)", "text", allowed="HH:MM"),
    Column("hours_since_dose", "Hours since the last dose", "decimal", "h"),
    Column("ng_ml", "Sirolimus whole-blood trough", "decimal", "ng/mL"),
    Column("classification", "Against the 5-15 ng/mL target", "text", allowed="low, in range, high"),
    Column("lab", "Laboratory", "text"),
    Column("review", "Physician's decision on the suggested dose", "text", allowed="accepted, dismissed; empty = open"),
)


def trough_rows() -> Iterator[tuple]:
    protocol = current_dosing_protocol()
    troughs = Trough.objects.order_by("patient__study_id", "sample_date", "sample_time", "id").values_list(
        "patient__study_id", "sample_date", "patient__start_date", "sample_time", "hours_since_dose", "ng_ml", "lab",
        "review")
    for sid, sampled, day0, time, hours, ng_ml, lab, review in troughs.iterator(chunk_size=CHUNK):
        yield (sid, sampled, (sampled - day0).days, time.strftime("%H:%M") if time else None, hours, ng_ml,
               classify_trough(ng_ml, protocol), lab or None, review or None)


CON_MED_COLUMNS = (
    Column("study_id", "Study id", "text"),
    Column("name", "Medication", "text"),
    Column("dose", "Dose as written", "text"),
    Column("start_date", "Start date", "date"),
    Column("start_day", "Start, days since day 0", "integer", "days"),
    Column("stop_date", "Stop date", "date", allowed="empty = ongoing"),
    Column("indication", "Indication", "text"),
    Column("glucocorticoid_taper", "Step of a glucocorticoid taper", "boolean", allowed="true, false"),
)


def con_med_rows() -> Iterator[tuple]:
    con_meds = ConMed.objects.order_by("patient__study_id", "start_date", "id").values_list(
        "patient__study_id", "name", "dose", "start_date", "patient__start_date", "stop_date", "indication",
        "glucocorticoid_taper")
    for sid, name, dose, start, day0, stop, indication, taper in con_meds.iterator(chunk_size=CHUNK):
        yield (sid, name, dose or None, start, day(start, day0), stop, indication, taper)
