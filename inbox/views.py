"""The inbox page: the user's reminders; "Mark read" posts one reminder's id."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
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
        return render(request, "inbox/inbox.html", {"reminders": selectors.inbox(user=request.user),
                                                    "inbox_size": selectors.INBOX_SIZE})

    def post(self, request):
        value = request.POST.get("reminder", "")
        if not (value.isascii() and value.isdigit() and int(value) <= MAX_ID):
            raise Http404("No such reminder.")
        reminder_mark_read(reminder=get_object_or_404(Reminder, pk=int(value)), user=request.user)
        return redirect("inbox:inbox")
