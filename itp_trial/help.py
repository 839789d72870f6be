"""Help pages, one per study role, reachable from the navigation bar ("Help" opens the reader's own role)."""

from django.http import Http404
from django.shortcuts import render
from django.views import View

from visits.help import bleeding_help, platelets_help, rescue_help
from visits.protocol import current_protocol
from visits.schedule import PROTOCOL_SCHEDULE

from .roles import ROLES, ROLES_BY_CODE, request_role


class HelpView(View):
    """Any signed-in user may read every role's page; /help/ shows their own."""

    def get(self, request, role: str | None = None):
        if role is None:
            own = request_role(request)
            role = own.code if own else ROLES[0].code
        if role not in ROLES_BY_CODE:
            raise Http404(role)
        protocol = current_protocol()
        return render(request, f"help/{role}.html", {
            "help_role": ROLES_BY_CODE[role], "roles": ROLES, "schedule": PROTOCOL_SCHEDULE.visits,
            "platelets_rule": platelets_help(protocol), "bleeding_rule": bleeding_help(protocol),
            "rescue_rule": rescue_help(protocol),
        })
