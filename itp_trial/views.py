"""Shared view plumbing: every study page needs a capability, and answers 403 without it."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpResponseRedirect
from django.templatetags.static import static


class CapabilityRequired(PermissionRequiredMixin):
    raise_exception = True  # logged-in users without the capability get 403, never a login loop


@login_not_required
def favicon(request):
    """Clients that ask for /favicon.ico without reading the page's icon link get the static icon."""
    return HttpResponseRedirect(static("favicon.svg"))
