"""Services that write safety data: lab panels (graded, proposing AEs), adverse events, withdrawal, Treg.

Each goes through the casebook write path (one transaction, the patient row locked, casebook lock, version,
reason, history). What physicians must then do (confirm proposed AEs, review one, complete a withdrawal) is said
on the write as a notice (casebook.notices): the project's receiver raises it as a reminder in the same
transaction, and its e-mail waits in the outbox, so a save never depends on the broker.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from casebook.writes import Write, writing
from itp_trial.clock import study_today
from patients.models import Patient, Withdrawal

from .ctcae import ANALYTES_BY_CODE, DECREASE, grade_value, to_standard, to_unit
from .findings import Finding
from .messages import findings_text
from .models import (
    Action,
    AdverseEvent,
    AeProposal,
    HealthyControl,
    LabSample,
    LabValue,
    Outcome,
    TregMeasurement,
)
from .protocol import SAFETY_PROTOCOL
from .terms import CTCAE_VERSION, find_term

# ---------------------------------------------------------------- labs


@dataclass(frozen=True)
class LabInput:
    analyte: str
    value: Decimal
    unit: str
    uln: Decimal | None = None
    lln: Decimal | None = None


@dataclass(frozen=True)
class LabBaseline:
    """A patient's baseline value of an analyte, as the lab reported it (unit and reference range)."""

    value: Decimal
    unit: str
    lln: Decimal | None = None


def lab_baselines(*, patient: Patient, analytes: list[str]) -> dict[str, LabBaseline]:
    """BL per analyte: the latest value sampled on or before day 0 [decision]."""
    rows = (LabValue.objects.filter(patient=patient, analyte__in=analytes, sample_date__lte=patient.start_date)
            .order_by("analyte", "sample_date", "id").values_list("analyte", "value", "unit", "lln"))
    return {analyte: LabBaseline(value, unit, lln) for analyte, value, unit, lln in rows}  # the latest wins


def lab_findings(*, start_date: date, sample_date: date, values: list[LabInput], today: date
                 ) -> dict[str, list[Finding]]:
    """Every problem of a lab draw's values, keyed by field, as codes (worded by safety.messages)."""
    problems: dict[str, list[Finding]] = {}

    def add(name: str, code: str, **params) -> None:
        problems.setdefault(name, []).append(Finding(code, params))

    if sample_date > today:
        add("sample_date", "date.future")
    if sample_date < start_date - timedelta(days=30):
        add("sample_date", "lab.before_baseline_window")
    if not values:
        add("__all__", "lab.no_values")
    seen = set()
    for item in values:
        spec = ANALYTES_BY_CODE.get(item.analyte)
        if spec is None:
            add(item.analyte, "lab.unknown_analyte")
            continue
        if item.analyte in seen:
            add(item.analyte, "lab.entered_twice")
        seen.add(item.analyte)
        if item.unit not in spec.units:
            add(f"{item.analyte}_unit", "lab.unit", analyte=spec.code, units=list(spec.units))
        if item.value < 0:
            add(item.analyte, "lab.negative")
        if item.uln is not None and item.uln <= 0:
            add(f"{item.analyte}_uln", "lab.uln_not_positive")
        if item.uln is not None and item.lln is not None and item.lln >= item.uln:
            add(f"{item.analyte}_lln", "lab.lln_not_below_uln")
    return problems


def lab_problems(*, start_date: date, sample_date: date, values: list[LabInput], today: date) -> dict:
    """lab_findings in words, in the reader's language (also used by the importer)."""
    return findings_text(lab_findings(start_date=start_date, sample_date=sample_date, values=values, today=today))


def lab_value_graded(item: LabInput, *, baseline: LabBaseline | None):
    """The stored fields of one value (as reported, in standard units, and its CTCAE grade), its grade, and
    whether that grade proposes an adverse event once the sample is after day 0.

    Graded exactly in the unit entered (safety.ctcae). [decision] A decrease (blood counts) proposes only when it
    is worse than the patient's baseline grade: a count already that low before sirolimus is not a new event."""
    spec = ANALYTES_BY_CODE[item.analyte]
    baseline = baseline if spec.baseline_aware else None
    graded = grade_value(analyte=item.analyte, value=item.value, unit=item.unit, uln=item.uln, lln=item.lln,
                         baseline=None if baseline is None else baseline.value,
                         baseline_unit=None if baseline is None else baseline.unit)
    proposes = graded is not None
    if graded is not None and baseline is not None and spec.direction == DECREASE:
        at_baseline = grade_value(analyte=item.analyte, value=baseline.value, unit=baseline.unit,
                                  lln=baseline.lln if baseline.lln is not None
                                  else to_unit(item.lln, spec, item.unit, baseline.unit))
        proposes = not (SAFETY_PROTOCOL.decreases_propose_only_when_worse and at_baseline is not None
                        and at_baseline.grade >= graded.grade)
    fields = {
        "value": item.value, "unit": item.unit, "uln": item.uln, "lln": item.lln,
        "value_std": to_standard(item.value, analyte=spec, unit=item.unit),
        "uln_std": None if item.uln is None else to_standard(item.uln, analyte=spec, unit=item.unit),
        "baseline_std": None if baseline is None else to_standard(baseline.value, analyte=spec, unit=baseline.unit),
        "grade": graded.grade if graded else None, "graded_term": graded.term if graded else "",
    }
    return fields, graded, proposes


def lab_sample_record(*, patient: Patient, sample_date: date, values: list[LabInput], user, laboratory: str = "",
                      reason: str = "", today: date | None = None, token: UUID | None = None) -> LabSample:
    """Record a safety lab draw; each graded value (after day 0) proposes an AE for a physician to confirm."""
    today = today or study_today()
    with writing(user=user, reason=reason, patient=patient, token=token) as write:
        patient = write.patient
        problems = lab_problems(start_date=patient.start_date, sample_date=sample_date, values=values, today=today)
        if problems:
            raise ValidationError(problems)
        baselines = lab_baselines(patient=patient, analytes=[v.analyte for v in values])
        sample = write.save(LabSample(patient=patient, sample_date=sample_date, laboratory=laboratory))
        is_baseline = sample_date <= patient.start_date
        proposals = []
        for item in values:
            spec = ANALYTES_BY_CODE[item.analyte]
            fields, graded, proposes = lab_value_graded(
                item, baseline=None if is_baseline else baselines.get(item.analyte))
            lab_value = write.save(LabValue(sample=sample, patient=patient, sample_date=sample_date,
                                            panel=spec.panel.value, analyte=spec.code, **fields))
            if graded and proposes and (not is_baseline or SAFETY_PROTOCOL.baseline_proposes_ae):
                proposals.append(write.save(AeProposal(patient=patient, lab_value=lab_value, term=graded.term,
                                                       grade=graded.grade)))
        if proposals:
            write.notify("ae_proposed", due_date=sample_date, audience="physician",
                         params={"findings": [{"term": p.term, "grade": p.grade} for p in proposals],
                                 "sample_date": sample_date.isoformat()})
        return sample


def lab_value_update(*, lab_value: LabValue, values: LabInput, user, reason: str, version: int,
                     today: date | None = None) -> LabValue:
    """Correct a saved lab value as the user saw it (`version`; reason required). It is graded again; an open
    proposal follows the new grade (updated, or closed when the value no longer grades); a new grade proposes an
    AE; an AE already confirmed from it stays as it is and the physicians are asked to review it."""
    today = today or study_today()
    with writing(user=user, reason=reason, patient=lab_value.patient_id) as write:
        patient = write.patient
        lab_value = write.edit(lab_value, version=version)
        if values.analyte != lab_value.analyte:
            raise ValidationError({"__all__": str(Finding("lab.analyte_changed"))})
        problems = lab_problems(start_date=patient.start_date, sample_date=lab_value.sample_date, values=[values],
                                today=today)
        if problems:
            prefix = f"{values.analyte}_"
            raise ValidationError({(k[len(prefix):] if k.startswith(prefix) else "value" if k == values.analyte
                                    else k): v for k, v in problems.items()})
        is_baseline = lab_value.sample_date <= patient.start_date
        baseline = None if is_baseline else lab_baselines(patient=patient,
                                                          analytes=[values.analyte]).get(values.analyte)
        fields, graded, emergent = lab_value_graded(values, baseline=baseline)
        for name, value in fields.items():
            setattr(lab_value, name, value)
        write.save(lab_value)
        _proposal_follow(write, lab_value=lab_value, graded=graded, emergent=emergent, is_baseline=is_baseline,
                         today=today)
    return lab_value


def _proposal_follow(write: Write, *, lab_value: LabValue, graded, is_baseline: bool, today: date,
                     emergent: bool = True) -> None:
    """After a lab value correction: its open proposal follows the new grade, a new grade proposes (a blood count
    only when worse than its baseline: `emergent`), a confirmed AE is left for the physicians to review."""
    patient, reason = write.patient, write.reason
    proposes = graded is not None and emergent and (not is_baseline or SAFETY_PROTOCOL.baseline_proposes_ae)
    proposal = AeProposal.objects.filter(lab_value=lab_value).first()
    corrected = _("lab value corrected: %(reason)s") % {"reason": reason}
    if proposal is None:
        if proposes:
            write.save(AeProposal(patient=patient, lab_value=lab_value, term=graded.term, grade=graded.grade),
                       reason=corrected)
            write.notify("ae_proposed", due_date=lab_value.sample_date, audience="physician",
                         params={"findings": [{"term": graded.term, "grade": graded.grade}],
                                 "sample_date": lab_value.sample_date.isoformat()})
    elif proposal.status == AeProposal.Status.PROPOSED:
        proposal = write.edit(proposal, version=None)  # a consequence of this correction, not a user's edit
        if proposes:
            proposal.term, proposal.grade = graded.term, graded.grade
        else:
            proposal.status, proposal.decided_by, proposal.decided_on = AeProposal.Status.DISMISSED, write.user, today
            proposal.dismiss_reason = (_("Lab value corrected, no longer graded (%(reason)s)") % {
                "reason": reason})[:250]
        write.save(proposal, reason=corrected)
    elif proposal.status == AeProposal.Status.CONFIRMED and (graded is None or graded.grade != proposal.grade):
        write.notify("ae_review", due_date=today, audience="physician",
                     params={"analyte": lab_value.analyte, "term": proposal.term, "grade": proposal.grade,
                             "now_grade": graded.grade if graded else None})


@dataclass(frozen=True)
class LabSampleValues:
    """A lab draw as one entry: its date and laboratory, and the values reported."""

    sample_date: date
    values: list[LabInput]
    laboratory: str = ""


# ---------------------------------------------------------------- adverse events


@dataclass(frozen=True)
class AeInput:
    term: str
    grade: int
    onset_date: date
    relation: str
    end_date: date | None = None
    serious: bool = False
    action: str = "none"
    outcome: str = Outcome.ONGOING
    death_date: date | None = None


def ae_findings(*, start_date: date, data: AeInput, today: date) -> dict[str, list[Finding]]:
    """Every problem of an adverse event's values, keyed by field, as codes (worded by safety.messages)."""
    problems: dict[str, list[Finding]] = {}

    def add(name: str, code: str, **params) -> None:
        problems.setdefault(name, []).append(Finding(code, params))

    term = find_term(data.term)
    if not data.term.strip():
        add("term", "ae.no_term")
    if term is not None and data.grade not in term.grades:
        add("grade", "ae.grade_not_defined", term=term.name, grades=sorted(term.grades))
    if not 1 <= data.grade <= 5:
        add("grade", "ae.grade_range")
    if data.onset_date > today:
        add("onset_date", "date.future")
    if data.onset_date < start_date:
        add("onset_date", "ae.onset_before_day0", day0=start_date)
    if data.end_date is not None:
        if data.end_date < data.onset_date:
            add("end_date", "ae.end_before_onset")
        if data.end_date > today:
            add("end_date", "date.future")
    if data.grade == 5:
        if data.death_date is None:
            add("death_date", "ae.death_date_missing")
        elif data.death_date < data.onset_date or data.death_date > today:
            add("death_date", "ae.death_date_range")
        if data.outcome != Outcome.FATAL:
            add("outcome", "ae.grade5_not_fatal")
    else:
        if data.death_date is not None:
            add("death_date", "ae.death_date_not_grade5")
        if data.outcome == Outcome.FATAL:
            add("outcome", "ae.fatal_not_grade5")
    return problems


def ae_problems(*, start_date: date, data: AeInput, today: date) -> dict:
    """ae_findings in words, in the reader's language (also used by the importer)."""
    return findings_text(ae_findings(start_date=start_date, data=data, today=today))


def ae_fill(event: AdverseEvent, data: AeInput) -> AdverseEvent:
    term = find_term(data.term)
    event.term = term.name if term else data.term.strip()
    event.coded = term is not None
    event.meddra_code = term.meddra if term else ""
    event.soc = term.soc if term else ""
    for name in ("grade", "onset_date", "end_date", "serious", "relation", "action", "outcome", "death_date"):
        setattr(event, name, getattr(data, name))
    event.ctcae_version = CTCAE_VERSION
    return event


@dataclass(frozen=True)
class AeSaved:
    """What saving an adverse event did: the event, and the patient's withdrawal when the event starts (or keeps)
    it — grade ≥ 3 or action taken "withdrawn". Pages tell the user from this, never from a threshold of their
    own."""

    event: AdverseEvent
    withdrawal: Withdrawal | None = None

    @property
    def withdrawal_pending(self) -> bool:
        """The event calls for withdrawal and the patient is not off study yet."""
        return self.withdrawal is not None and not self.withdrawal.completed

    @property
    def withdrawal_reason(self) -> str:
        """Why: "grade" (≥ 3), "action" (withdrawn at a lower grade), or "" when it does not."""
        if self.withdrawal is None:
            return ""
        return "grade" if self.event.grade >= SAFETY_PROTOCOL.withdrawal_grade else "action"


def starts_withdrawal(event: AdverseEvent) -> bool:
    """Grade ≥ 3, or an event whose action taken is "withdrawn" (SPEC §2, §5)."""
    return event.grade >= SAFETY_PROTOCOL.withdrawal_grade or event.action == Action.WITHDRAWN


def _withdrawal_open(write: Write, *, event: AdverseEvent, today: date) -> Withdrawal | None:
    """An event that starts withdrawal marks the patient and tells the physicians (once)."""
    if not starts_withdrawal(event):
        return None
    patient = write.patient
    withdrawal = Withdrawal.objects.filter(patient=patient).first()
    if withdrawal is None:
        withdrawal = write.save(Withdrawal(patient=patient, adverse_event=event, marked_on=today), reason="")
    if not withdrawal.completed:
        write.notify("withdrawal", due_date=withdrawal.marked_on, audience="physician",
                     params={"term": event.term, "grade": event.grade})
    return withdrawal


def _adverse_event_create(write: Write, *, data: AeInput, lab_value: LabValue | None, today: date) -> AeSaved:
    problems = ae_problems(start_date=write.patient.start_date, data=data, today=today)
    if problems:
        raise ValidationError(problems)
    event = write.save(ae_fill(AdverseEvent(patient=write.patient, lab_value=lab_value), data))
    return AeSaved(event, _withdrawal_open(write, event=event, today=today))


def adverse_event_record(*, patient: Patient, data: AeInput, user, reason: str = "", today: date | None = None,
                         token: UUID | None = None) -> AeSaved:
    today = today or study_today()
    with writing(user=user, reason=reason, patient=patient, token=token) as write:
        return _adverse_event_create(write, data=data, lab_value=None, today=today)


def adverse_event_update(*, event: AdverseEvent, data: AeInput, user, reason: str, version: int,
                         today: date | None = None) -> AeSaved:
    """Correct an adverse event as the user saw it (`version`; reason required)."""
    today = today or study_today()
    with writing(user=user, reason=reason, patient=event.patient_id) as write:
        event = write.edit(event, version=version)
        problems = ae_problems(start_date=write.patient.start_date, data=data, today=today)
        if event.lab_value_id and find_term(data.term) is None:
            problems.setdefault("term", []).append(str(Finding("ae.lab_keeps_term")))
        if problems:
            raise ValidationError(problems)
        write.save(ae_fill(event, data))
        return AeSaved(event, _withdrawal_open(write, event=event, today=today))


def _open_proposal(write: Write, proposal: AeProposal, version: int | None) -> AeProposal:
    proposal = write.edit(proposal, version=version)
    if proposal.status != AeProposal.Status.PROPOSED:
        raise ValidationError({"__all__": str(Finding("proposal.decided", {"status": proposal.status}))})
    return proposal


def ae_proposal_confirm(*, proposal: AeProposal, data: AeInput, user, version: int | None = None,
                        today: date | None = None) -> AeSaved:
    """The physician confirms a lab-graded proposal as they saw it (`version`): the AE is created, linked to the
    lab value."""
    today = today or study_today()
    with writing(user=user, patient=proposal.patient_id) as write:
        proposal = _open_proposal(write, proposal, version)
        lab_value = proposal.lab_value
        data = AeInput(**{**data.__dict__, "term": proposal.term, "grade": proposal.grade,
                          "onset_date": lab_value.sample_date})
        saved = _adverse_event_create(write, data=data, lab_value=lab_value, today=today)
        proposal.status, proposal.adverse_event = AeProposal.Status.CONFIRMED, saved.event
        proposal.decided_by, proposal.decided_on = user, today
        write.save(proposal, reason=_("confirmed by physician"))
        return saved


def ae_proposal_dismiss(*, proposal: AeProposal, reason: str, user, version: int | None = None,
                        today: date | None = None) -> AeProposal:
    today = today or study_today()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"dismiss_reason": str(Finding("proposal.no_reason"))})
    with writing(user=user, reason=_("dismissed: %(reason)s") % {"reason": reason},
                 patient=proposal.patient_id) as write:
        proposal = _open_proposal(write, proposal, version)
        proposal.status, proposal.dismiss_reason = AeProposal.Status.DISMISSED, reason[:250]
        proposal.decided_by, proposal.decided_on = user, today
        return write.save(proposal)


# ---------------------------------------------------------------- Treg


@dataclass(frozen=True)
class TregValues:
    timepoint: str
    percent: Decimal
    sample_date: date | None = None


@dataclass(frozen=True)
class ControlValues:
    control_id: str
    percent: Decimal
    sample_date: date | None = None



def treg_record(*, patient: Patient, timepoint: str, percent: Decimal, sample_date: date | None, user,
                reason: str = "", today: date | None = None, token: UUID | None = None) -> TregMeasurement:
    today = today or study_today()
    if sample_date is not None and sample_date > today:
        raise ValidationError({"sample_date": str(Finding("date.future"))})
    with writing(user=user, reason=reason, patient=patient, token=token) as write:
        if TregMeasurement.objects.filter(patient=write.patient, timepoint=timepoint).exists():
            raise ValidationError({"timepoint": str(Finding("treg.recorded"))})
        return write.save(TregMeasurement(patient=write.patient, timepoint=timepoint, percent=percent,
                                          sample_date=sample_date))


def healthy_control_record(*, control_id: str, percent: Decimal, sample_date: date | None, user,
                           reason: str = "", today: date | None = None, token: UUID | None = None) -> HealthyControl:
    today = today or study_today()
    control_id = (control_id or "").strip()
    if sample_date is not None and sample_date > today:
        raise ValidationError({"sample_date": str(Finding("date.future"))})
    with writing(user=user, reason=reason, token=token) as write:  # study-level: in no patient's casebook
        if HealthyControl.objects.filter(control_id=control_id).exists():
            raise ValidationError({"control_id": str(Finding("control.registered", {"control_id": control_id}))})
        return write.save(HealthyControl(control_id=control_id, percent=percent, sample_date=sample_date))
