"""Monitoring's markers on the pages other apps assemble (patient list and page, study grid, inbox, sign and
history pages). Each tag reads for a whole page at once (a fixed number of queries), never per row."""

from django import template

from monitoring import selectors
from monitoring.models import Verification
from monitoring.views import record_url

register = template.Library()


def _patient_ids(rows) -> list[int]:
    return [row.patient.pk for row in rows]


@register.simple_tag
def patient_monitoring(rows) -> dict:
    """Open queries and SDV progress of the patients of `rows` (rows with a `.patient`)."""
    ids = _patient_ids(rows)
    return {"open": selectors.open_counts(patient_ids=ids), "sdv": selectors.sdv_progress(patient_ids=ids)}


@register.inclusion_tag("monitoring/_patient_badges.html")
def patient_badges(monitoring: dict, patient) -> dict:
    return {"open": monitoring["open"].get(patient.pk, selectors.OpenCount()),
            "sdv": monitoring["sdv"].get(patient.pk), "patient": patient}


@register.simple_tag
def grid_monitoring(rows) -> dict:
    ids = _patient_ids(rows)
    return {"cells": selectors.visit_marks(patient_ids=ids), **patient_monitoring(rows)}


@register.inclusion_tag("monitoring/_cell.html")
def cell_mark(monitoring: dict, patient, code: str) -> dict:
    return {"mark": monitoring["cells"].get((patient.pk, code))}


@register.inclusion_tag("monitoring/_study.html", takes_context=True)
def study_monitoring(context, monitoring: dict) -> dict:
    total = selectors.OpenCount(sum(c.count for c in monitoring["open"].values()),
                                min((c.oldest for c in monitoring["open"].values() if c.oldest), default=None))
    progress = selectors.Progress()
    for item in monitoring["sdv"].values():
        progress.add(item)
    return {"open": total, "progress": progress, **context.flatten()}


@register.simple_tag
def record_marks(patient) -> dict:
    return selectors.patient_marks(patient_id=patient.pk)


@register.inclusion_tag("monitoring/_field_mark.html", takes_context=True)
def field_mark(context, marks: dict, key: str, record, field: str = "") -> dict:
    """The small control next to a value: open queries on it (marked) and a link to question it."""
    mark = marks.get((key, record.pk)) if isinstance(marks, dict) else None  # a page without the patient's marks
    return {"n": mark.fields.get(field, 0) if mark else 0, "url": record_url(key, record.pk, field),
            "field": field, "key": key, "can_raise": context.get("can_raise_queries")}


@register.inclusion_tag("monitoring/_record_mark.html")
def record_mark(marks: dict, key: str, record) -> dict:
    mark = marks.get((key, record.pk))
    return {"mark": mark.verification if mark else None, "open": mark.open if mark else 0, "record": record,
            "url": record_url(key, record.pk)}


@register.inclusion_tag("monitoring/_progress.html")
def sdv_panel(patient) -> dict:
    return {"progress": selectors.sdv_progress(patient_ids=[patient.pk]).get(patient.pk, selectors.Progress())}


@register.inclusion_tag("monitoring/_inbox.html", takes_context=True)
def query_inbox(context) -> dict:
    return {"lines": selectors.inbox_queries(user=context["request"].user)}


@register.inclusion_tag("monitoring/_signing.html")
def signing_queries(patient, content=None) -> dict:
    """The open queries on the records a casebook signature would lock (`content`: casebook.snapshots)."""
    if not content:
        return {"queries": []}
    keys = {(key, pk) for key, pk, _version in content.snapshot.entries}
    return {"queries": [q for q in selectors.queries_on(patient_id=patient.pk) if (q.record_type, q.record_id) in keys]}


@register.inclusion_tag("monitoring/_history_note.html")
def verification_note(key: str, record) -> dict:
    marks = list(Verification.objects.filter(record_type=key, record_id=record.pk).select_related("verified_by"))
    return {"marks": marks, "record": record, "url": record_url(key, record.pk)}
