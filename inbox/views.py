"""The inbox page: the user's reminders; "Mark read" posts one reminder's id."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from itp_trial.roles import VIEW_STUDY
from itp_trial.views import CapabilityRequired

from . import selectors
from .models import Reminder
from .services import reminder_mark_read

MAX_ID = 2**63 - 1  # a bigint primary key


class InboxView(CapabilityRequired, View):
    permission_required = VIEW_STUDY

    def get(self, request):
        page = selectors.inbox_page(user=request.user, number=request.GET.get("page"))
        return render(request, "inbox/inbox.html", {"reminders": page.object_list, "page": page})

    def post(self, request):
        value = request.POST.get("reminder", "")
        if not (value.isascii() and value.isdigit() and int(value) <= MAX_ID):
            raise Http404("No such reminder.")
        reminder_mark_read(reminder=get_object_or_404(Reminder, pk=int(value)), user=request.user)
        page = request.POST.get("page", "")
        back = reverse("inbox:inbox")  # to the page the reminder was read on
        return redirect(f"{back}?page={page}" if page.isascii() and page.isdigit() and len(page) < 10 else back)
