"""The safety app's CSV datasets: lab samples and values, adverse events and the proposals from graded labs,
Treg values and the healthy controls."""

from collections.abc import Iterator

from casebook.datasets import CHUNK, Column, day

from .models import AdverseEvent, AeProposal, HealthyControl, LabSample, LabValue, TregMeasurement

LAB_SAMPLE_COLUMNS = (
    Column("study_id", "Study id", "text"),
    Column("sample_date", "Sample date", "date"),
    Column("day", "Days since day 0", "integer", "days"),
    Column("laboratory", "Laboratory", "text"),
    Column("values", "Values recorded", "integer"),
)


def lab_sample_rows() -> Iterator[tuple]:
    samples = LabSample.objects.order_by("patient__study_id", "sample_date", "id").values_list(
        "patient__study_id", "sample_date", "patient__start_date", "laboratory", "id")
    counts: dict[int, int] = {}
    for sample_id in LabValue.objects.values_list("sample_id", flat=True).iterator(chunk_size=CHUNK):
        counts[sample_id] = counts.get(sample_id, 0) + 1
    for sid, sampled, day0, laboratory, sample_id in samples.iterator(chunk_size=CHUNK):
        yield (sid, sampled, day(sampled, day0), laboratory or None, counts.get(sample_id, 0))


LAB_COLUMNS = (
    Column("study_id", "Study id", "text"),
    Column("sample_date", "Sample date", "date"),
    Column("day", "Days since day 0", "integer", "days"),
    Column("panel", "Panel", "text", allowed="lipids, liver, kidney, haematology"),
    Column("analyte", "Analyte", "text"),
    Column("value", "Value as reported", "decimal", "see unit"),
    Column("unit", "Unit as reported", "text"),
    Column("lln", "Lower limit of normal (lab)", "decimal", "see unit"),
    Column("uln", "Upper limit of normal (lab)", "decimal", "see unit"),
    Column("grade", "CTCAE v5 grade computed from the value", "integer", allowed="1-4; empty = not graded"),
    Column("graded_term", "CTCAE term of the grade", "text"),
)


def lab_rows() -> Iterator[tuple]:
    values = LabValue.objects.order_by("patient__study_id", "sample_date", "panel", "analyte", "id").values_list(
        "patient__study_id", "sample_date", "patient__start_date", "panel", "analyte", "value", "unit", "lln", "uln",
        "grade", "graded_term")
    for sid, sampled, day0, panel, analyte, value, unit, lln, uln, grade, term in values.iterator(chunk_size=CHUNK):
        yield (sid, sampled, (sampled - day0).days, panel, analyte, value, unit, lln, uln, grade, term or None)


AE_COLUMNS = (
    Column("study_id", "Study id", "text"),
    Column("term", "CTCAE v5 term (or free text when uncoded)", "text"),
    Column("coded", "Term from the CTCAE list", "boolean", allowed="true, false"),
    Column("meddra_code", "MedDRA code", "text"),
    Column("soc", "System organ class", "text"),
    Column("grade", "CTCAE grade", "integer", allowed="1-5"),
    Column("onset_date", "Onset date", "date"),
    Column("onset_day", "Onset, days since day 0", "integer", "days"),
    Column("end_date", "Resolution date", "date"),
    Column("serious", "Serious", "boolean", allowed="true, false"),
    Column("relation", "Relation to sirolimus", "text"),
    Column("action", "Action taken", "text"),
    Column("outcome", "Outcome", "text"),
    Column("death_date", "Date of death (grade 5)", "date"),
    Column("ctcae_version", "CTCAE version", "text"),
    Column("from_lab", "Confirmed from a graded lab value", "boolean", allowed="true, false"),
)


def adverse_event_rows() -> Iterator[tuple]:
    events = AdverseEvent.objects.order_by("patient__study_id", "onset_date", "id").values_list(
        "patient__study_id", "term", "coded", "meddra_code", "soc", "grade", "onset_date", "patient__start_date",
        "end_date", "serious", "relation", "action", "outcome", "death_date", "ctcae_version", "lab_value_id")
    for (sid, term, coded, meddra, soc, grade, onset, day0, end, serious, relation, action, outcome, death, version,
         lab_value_id) in events.iterator(chunk_size=CHUNK):
        yield (sid, term, coded, meddra or None, soc or None, grade, onset, (onset - day0).days, end, serious,
               relation, action, outcome, death, version, lab_value_id is not None)


AE_PROPOSAL_COLUMNS = (
    Column("study_id", "Study id", "text"),
    Column("sample_date", "Sample date of the graded lab value", "date"),
    Column("analyte", "Analyte", "text"),
    Column("term", "Proposed CTCAE term", "text"),
    Column("grade", "Proposed CTCAE grade", "integer", allowed="1-4"),
    Column("status", "Physician's decision", "text", allowed=", ".join(AeProposal.Status.values)),
    Column("decided_on", "Decided on", "date"),
    Column("dismiss_reason", "Reason for dismissing", "text"),
    Column("event_onset_date", "Onset of the adverse event it became", "date", allowed="empty unless confirmed"),
)


def ae_proposal_rows() -> Iterator[tuple]:
    proposals = AeProposal.objects.order_by("patient__study_id", "lab_value__sample_date", "lab_value__analyte",
                                            "id").values_list(
        "patient__study_id", "lab_value__sample_date", "lab_value__analyte", "term", "grade", "status",
        "decided_on", "dismiss_reason", "adverse_event__onset_date")
    for sid, sampled, analyte, term, grade, status, decided_on, reason, onset in proposals.iterator(chunk_size=CHUNK):
        yield (sid, sampled, analyte, term, grade, status, decided_on, reason or None, onset)


TREG_COLUMNS = (
    Column("study_id", "Study id", "text"),
    Column("timepoint", "Timepoint", "text", allowed=", ".join(TregMeasurement.Timepoint.values)),
    Column("sample_date", "Sample date", "date", allowed="empty = not recorded"),
    Column("percent", "Treg (CD4+CD25high CD127low, % of CD4+)", "decimal", "%"),
)


def treg_rows() -> Iterator[tuple]:
    values = TregMeasurement.objects.order_by("patient__study_id", "timepoint", "id").values_list(
        "patient__study_id", "timepoint", "sample_date", "percent")
    yield from values.iterator(chunk_size=CHUNK)


CONTROL_COLUMNS = (
    Column("control_id", "Healthy control id", "text"),
    Column("sample_date", "Sample date", "date", allowed="empty = not recorded"),
    Column("percent", "Treg (CD4+CD25high CD127low, % of CD4+)", "decimal", "%"),
)


def control_rows() -> Iterator[tuple]:
    yield from HealthyControl.objects.order_by("control_id").values_list(
        "control_id", "sample_date", "percent").iterator(chunk_size=CHUNK)
