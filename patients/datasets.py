"""The patients app's CSV datasets: one row per patient (with the response summary), eligibility, consent, prior
therapy, withdrawal and off study. Ages instead of birth dates; no initials."""

from collections.abc import Iterator

from casebook.datasets import CHUNK, Column, boolean_column, day

from .demographics import age_in_years, months_between
from .models import Consent, Eligibility, Patient, PriorTherapy, Withdrawal
from .vocabulary import Therapy

CATEGORIES = "CR, R, NR, NE"  # the response categories (visits.response), as the codebook lists them

PATIENT_COLUMNS = (
    Column("study_id", "Study id", "text"),
    Column("sex", "Sex", "text", allowed="female, male"),
    Column("age_at_start", "Age at sirolimus start", "integer", "years"),
    Column("weight_kg", "Weight", "decimal", "kg"),
    Column("diagnosis_date", "ITP diagnosis date", "date"),
    Column("start_date", "Sirolimus start (day 0)", "date"),
    Column("months_from_diagnosis", "Months from diagnosis to start", "decimal", "months"),
    Column("early_steroid_effective", "Early glucocorticoid therapy effective", "boolean", allowed="true, false"),
    Column("steroid_taper_at_start", "Glucocorticoid taper in progress at start", "boolean", allowed="true, false"),
    Column("prior_therapies", "Prior therapies (semicolon-separated)", "text",
           allowed="glucocorticoids, ivig, cyclosporine, tpo_ra, eltrombopag, azathioprine, tcm, rituximab, other"),
    Column("best_response", "Best response", "text", allowed=CATEGORIES),
    Column("current_status", "Current status", "text", allowed=CATEGORIES),
    Column("confirmed", "Confirmed response", "boolean", allowed="true, false"),
    Column("confirmed_category", "Confirmed response category", "text", allowed="CR, R"),
    Column("response_date", "Response date (first of the confirming pair)", "date"),
    Column("time_to_response_days", "Time to response", "integer", "days"),
    Column("relapsed", "Relapse", "boolean", allowed="true, false"),
    Column("relapse_date", "Relapse date", "date"),
    Column("time_to_confirmed_response_days", "Time to confirmed response (IWG: first of the confirming pair)",
           "integer", "days"),
    Column("downgraded", "Confirmed CR lost to R (downgrade, not a relapse)", "boolean", allowed="true, false"),
    Column("downgrade_date", "Downgrade date (first of the two counts below 100)", "date"),
    Column("cr_lost_date", "Loss of a confirmed CR (to R or to NR), first of the two counts", "date"),
    Column("response_events", "Changes of the confirmed response, oldest first (date kind from>to)", "text",
           allowed="e.g. 2026-03-09 confirmed >R; 2026-04-02 upgraded R>CR; 2026-06-01 downgrade CR>R; "
                   "2026-07-01 relapse R>NR"),
)


def _events_text(events: list[dict]) -> str | None:
    return "; ".join(f"{e['date']} {e['kind']} {e['from'] or ''}>{e['to']}" for e in events) or None


def patient_rows() -> Iterator[tuple]:
    patients = Patient.objects.select_related("response").prefetch_related("prior_therapies").order_by("study_id")
    for p in patients.iterator(chunk_size=CHUNK):
        r = getattr(p, "response", None)
        yield (
            p.study_id, p.sex, age_in_years(p.birth_date, p.start_date), p.weight_kg, p.diagnosis_date,
            p.start_date, months_between(p.diagnosis_date, p.start_date), p.early_steroid_effective,
            p.steroid_taper_at_start, ";".join(sorted(t.therapy for t in p.prior_therapies.all())),
            r and r.best_response, r and r.current_status, r and r.confirmed, (r and r.confirmed_category) or None,
            r and r.response_date, r and r.time_to_response_days, r and r.relapsed, r and r.relapse_date,
            r and r.time_to_confirmed_response_days, r and r.downgraded, r and r.downgrade_date,
            r and r.cr_lost_date, _events_text(r.events) if r else None,
        )


CHECKLIST_COLUMNS = (
    boolean_column("primary_itp", "Primary ITP"),
    boolean_column("two_low_counts", "At least two low platelet counts"),
    boolean_column("normal_morphology", "Normal blood cell morphology"),
    boolean_column("no_splenomegaly", "No splenomegaly on examination"),
    boolean_column("megakaryocytes_normal", "Bone-marrow megakaryocytes normal or raised"),
    boolean_column("secondary_causes_excluded", "Secondary causes excluded"),
    boolean_column("first_line_failed", "Treated first-line and relapsed or did not respond"),
    boolean_column("second_line_washout", "Previous second-line therapy stopped at least 1 month before"),
    boolean_column("washout_warning_acknowledged", "Recent second-line therapy acknowledged"),
)
_CHECKLIST = tuple(column.name for column in CHECKLIST_COLUMNS)

ELIGIBILITY_COLUMNS = (
    Column("study_id", "Study id", "text"),
    Column("checked_on", "Checklist date", "date"),
    Column("day", "Days since day 0", "integer", "days"),
    *CHECKLIST_COLUMNS,
)


def eligibility_rows() -> Iterator[tuple]:
    checklists = Eligibility.objects.order_by("patient__study_id", "id").values_list(
        "patient__study_id", "checked_on", "patient__start_date", *_CHECKLIST)
    for sid, checked_on, day0, *items in checklists.iterator(chunk_size=CHUNK):
        yield (sid, checked_on, day(checked_on, day0), *items)


CONSENT_COLUMNS = (
    Column("study_id", "Study id", "text"),
    Column("consent_date", "Consent date", "date"),
    Column("day", "Days since day 0", "integer", "days"),
    Column("form_version", "Consent form version", "text"),
)


def consent_rows() -> Iterator[tuple]:
    consents = Consent.objects.order_by("patient__study_id", "consent_date", "id").values_list(
        "patient__study_id", "consent_date", "patient__start_date", "form_version")
    for sid, consented, day0, form_version in consents.iterator(chunk_size=CHUNK):
        yield (sid, consented, day(consented, day0), form_version)


PRIOR_THERAPY_COLUMNS = (
    Column("study_id", "Study id", "text"),
    Column("therapy", "Prior therapy", "text", allowed=", ".join(Therapy.values)),
    Column("other_name", "Name (when other)", "text"),
    Column("stop_date", "Stop date", "date"),
    Column("days_before_start", "Days from the stop to day 0", "integer", "days"),
)


def prior_therapy_rows() -> Iterator[tuple]:
    therapies = PriorTherapy.objects.order_by("patient__study_id", "therapy", "id").values_list(
        "patient__study_id", "therapy", "other_name", "stop_date", "patient__start_date")
    for sid, therapy, other, stop, day0 in therapies.iterator(chunk_size=CHUNK):
        yield (sid, therapy, other or None, stop, day(day0, stop))


WITHDRAWAL_COLUMNS = (
    Column("study_id", "Study id", "text"),
    Column("marked_on", "Marked for withdrawal on", "date"),
    Column("marked_day", "Marked, days since day 0", "integer", "days"),
    Column("by_adverse_event", "Marked by a grade ≥ 3 adverse event", "boolean", allowed="true, false"),
    Column("event_term", "Term of that adverse event", "text"),
    Column("event_onset_date", "Onset of that adverse event", "date"),
    Column("off_study_date", "Off-study date", "date", allowed="empty = not completed"),
    Column("off_study_day", "Off study, days since day 0", "integer", "days"),
    Column("off_study_reason", "Off-study reason", "text"),
)


def withdrawal_rows() -> Iterator[tuple]:
    withdrawals = Withdrawal.objects.order_by("patient__study_id", "id").values_list(
        "patient__study_id", "marked_on", "patient__start_date", "adverse_event__term", "adverse_event__onset_date",
        "off_study_date", "off_study_reason")
    for sid, marked, day0, term, onset, off, reason in withdrawals.iterator(chunk_size=CHUNK):
        yield (sid, marked, day(marked, day0), term is not None, term, onset, off, day(off, day0), reason or None)
