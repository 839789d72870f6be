"""The admin is for data managers only (user management and read-only look-ups)."""

from django.contrib import admin
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .roles import MANAGE_USERS


class StudyAdminSite(admin.AdminSite):
    site_header = _("ITP sirolimus trial — administration")
    site_title = _("ITP trial admin")
    login_form = AuthenticationForm

    def has_permission(self, request):
        user = request.user
        return user.is_active and (user.is_superuser or user.has_perm(MANAGE_USERS))
