from datetime import date
from decimal import Decimal

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404

from .models import Entry


def insert(request):
    """One INSERT of the posted values, then a redirect (as a saved form answers)."""
    if request.method != "POST":
        return HttpResponse(status=405)
    entry = Entry.objects.create(key=int(request.POST.get("key", 0) or 0),
                                 entry_date=date.fromisoformat(request.POST.get("visit_date", "2025-01-01")),
                                 value=Decimal(request.POST.get("platelets", "0")))
    return HttpResponseRedirect(f"/read/{entry.key}/")


def read(request, key: int):
    """One indexed read, rendered as a line of text."""
    entry = get_object_or_404(Entry.objects.filter(key=key).order_by("-id")[:1])
    return HttpResponse(f"{entry.key} {entry.entry_date} {entry.value}\n", content_type="text/plain")
