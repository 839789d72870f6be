"""Shared view plumbing: every study page needs a capability, and answers 403 without it."""

from django.contrib.auth.mixins import PermissionRequiredMixin


class CapabilityRequired(PermissionRequiredMixin):
    raise_exception = True  # logged-in users without the capability get 403, never a login loop
