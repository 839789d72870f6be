"""Monitoring pages: a record's values with their queries and verification, a query's thread, the queries list
and the records changed since verification. Thin: parse, call a service, render; refusals are 403."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from audit.history import history_rows
from casebook.editing import add_service_errors
from casebook.writes import StaleRecord
from itp_trial.roles import VIEW_STUDY
from itp_trial.views import CapabilityRequired

from . import records, selectors, services
from .forms import AnswerForm, MessageForm, RaiseForm
from .models import MessageKind, Query, QueryStatus
from .selectors import QueryFilters

CHANGED_PAGE = 50  # records changed since verification per page (oldest verification first)


def _record_or_404(key: str, pk: int):
    try:
        return records.record_get(key, pk)
    except records.UnknownRecord as error:
        raise Http404(str(error)) from error


def record_url(key: str, pk: int, field: str = "") -> str:
    url = reverse("monitoring:record", kwargs={"key": key, "pk": pk})
    return f"{url}?field={field}#raise" if field else url


class RecordView(CapabilityRequired, View):
    """One record as a monitor reads it: each field with its open queries, the verification, the threads."""

    permission_required = VIEW_STUDY

    def get(self, request, key, pk):
        declaration, record = _record_or_404(key, pk)
        chosen = request.GET.get("field", "")
        form = RaiseForm(initial={"field": chosen}, fields=self._choices(declaration))
        return self._render(request, declaration, record, form)

    def post(self, request, key, pk):
        declaration, record = _record_or_404(key, pk)
        if request.POST.get("action") == "verify":
            return self._verify(request, declaration, record)
        form = RaiseForm(request.POST, fields=self._choices(declaration))
        if form.is_valid():
            try:
                query = services.query_raise(record_type=key, record_id=record.pk, field=form.cleaned_data["field"],
                                             text=form.cleaned_data["text"], user=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Query %(number)s raised.") % {"number": query.pk})
                return redirect("monitoring:query", query_pk=query.pk)
        return self._render(request, declaration, record, form, status=400)

    def _verify(self, request, declaration, record):
        """Mark the record (or the posted field) verified at the version the page showed."""
        version = request.POST.get("version", "")
        field = request.POST.get("field", "")
        try:
            services.record_verify(record_type=declaration.key, record_id=record.pk, field=field, user=request.user,
                                   version=int(version) if version.isdigit() else -1)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            what = records.field_label(declaration.model, field) if field else str(declaration.label)
            messages.success(request, _("%(what)s verified against source.") % {"what": what})
        return redirect("monitoring:record", key=declaration.key, pk=record.pk)

    def _choices(self, declaration):
        return [(f.name, str(f.verbose_name)) for f in records.monitored_fields(declaration.model)]

    def _render(self, request, declaration, record, form, status=200):
        queries = selectors.record_queries(record_type=declaration.key, record_id=record.pk)
        waiting: dict[str, int] = {}
        for query in queries:
            if query.is_open:
                waiting[query.field] = waiting.get(query.field, 0) + 1
        verifications = selectors.verifications_of(record_type=declaration.key, record_id=record.pk)
        rows = [(value, waiting.get(value.name, 0), verifications.get(value.name))
                for value in records.field_values(record)]
        patient_id = declaration.patient(record)
        patient = records.declaration("patient").model.objects.filter(pk=patient_id).first() if patient_id else None
        context = {
            "declaration": declaration, "record": record, "key": declaration.key, "rows": rows, "form": form,
            "queries": queries, "whole": waiting.get("", 0), "verification": verifications.get(""),
            "history": history_rows(record), "patient": patient,
        }
        return render(request, "monitoring/record.html", context, status=status)


class QueryView(CapabilityRequired, View):
    """A query's thread and the next steps the user may take."""

    permission_required = VIEW_STUDY
    ACTIONS = {"answer", "ask", "close", "reopen"}

    def get(self, request, query_pk):
        query = self._query(query_pk)
        return self._render(request, query)

    def post(self, request, query_pk):
        query = self._query(query_pk)
        action = request.POST.get("action", "")
        if action not in self.ACTIONS:
            raise Http404("No such action.")
        forms = {}
        if action == "answer":
            form = AnswerForm(request.POST)
            forms["answer"] = form
            if form.is_valid() and self._answer(request, query, form):
                return redirect("monitoring:query", query_pk=query.pk)
        else:
            form = MessageForm(request.POST, prefix=action)
            forms[action] = form
            if form.is_valid():
                service = {"ask": services.query_ask, "close": services.query_close,
                           "reopen": services.query_reopen}[action]
                try:
                    service(query=query, text=form.cleaned_data["text"], user=request.user)
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, {"ask": _("Question sent."), "close": _("Query closed."),
                                               "reopen": _("Query re-opened.")}[action])
                    return redirect("monitoring:query", query_pk=query.pk)
        query.refresh_from_db()
        return self._render(request, query, forms, status=400)

    def _answer(self, request, query, form) -> bool:
        data = form.cleaned_data
        correction = None
        if (data.get("new_value") or "").strip():
            correction = services.Correction(value=data["new_value"], reason=data["reason"], version=data["version"])
        try:
            services.query_answer(query=query, text=data["text"], user=request.user, correction=correction)
        except StaleRecord as stale:
            form.data = form.data.copy()
            form.data["version"] = str(stale.changes.current_version)
            form.add_error(None, _("%(problem)s Check the value below and send again.")
                           % {"problem": stale.messages[0]})
            return False
        except ValidationError as error:
            add_service_errors(form, error, field_map={query.field: "new_value"})
            return False
        messages.success(request, _("Answer sent and the value corrected.") if correction else _("Answer sent."))
        return True

    def _query(self, pk):
        return get_object_or_404(Query.objects.select_related("patient", "raised_by"), pk=pk)

    def _render(self, request, query, forms=None, status=200):
        forms = forms or {}
        selectors.describe([query])
        record = query.record
        correctable = bool(record is not None and query.field
                           and query.field in records.correctable_fields(query.declaration)
                           and request.user.has_perm("patients.enter_data"))
        answer = forms.get("answer") or AnswerForm(initial={"version": record.version if record else 1})
        context = {
            "query": query, "thread": selectors.thread(query), "record": record,
            "value": records.value_shown(record, query.field) if record is not None else "",
            "correctable": correctable, "answer_form": answer,
            "ask_form": forms.get("ask") or MessageForm(prefix="ask"),
            "close_form": forms.get("close") or MessageForm(prefix="close"),
            "reopen_form": forms.get("reopen") or MessageForm(prefix="reopen"),
            "Status": QueryStatus, "Kind": MessageKind,
            "record_url": record_url(query.record_type, query.record_id),
        }
        return render(request, "monitoring/query.html", context, status=status)


class QueryListView(CapabilityRequired, View):
    permission_required = VIEW_STUDY

    def get(self, request):
        status = request.GET.get("status", "waiting")
        if status not in {"", "waiting", *QueryStatus.values}:
            status = "waiting"
        age = request.GET.get("age", "")
        filters = QueryFilters(
            status=status, study_id=request.GET.get("patient", "")[:16].strip(),
            record_type=request.GET.get("type", "")[:40], min_age_days=int(age) if age.isdigit() else None,
            oldest_first=request.GET.get("sort", "oldest") != "newest",
        )
        found, total = selectors.query_list(filters=filters)
        return render(request, "monitoring/queries.html", {
            "queries": found, "total": total, "filters": filters, "age": age,
            "types": records.monitored_types(), "statuses": QueryStatus.choices,
            "study": selectors.study_open_count(),
        })


class ChangedView(CapabilityRequired, View):
    permission_required = VIEW_STUDY

    def get(self, request):
        page = Paginator(selectors.ChangedMarks(), CHANGED_PAGE).get_page(request.GET.get("page"))
        rows = [(mark, record, records.declaration(mark.record_type)) for mark, record in page.object_list]
        return render(request, "monitoring/changed.html", {"rows": rows, "page": page,
                                                          "progress": selectors.study_progress()})
