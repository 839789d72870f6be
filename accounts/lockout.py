"""The page a locked-out sign-in gets (axes calls `locked_out` instead of the view's answer).

Every attempt while locked starts the wait again (axes' default), so the time to retry is the cool-off from now.
A signed-in user locked out by the signature's password prompt is signed out as well: someone is guessing the
password of an open session.
"""

from axes.helpers import get_cool_off, get_failure_limit
from django.contrib.auth import logout
from django.shortcuts import render
from django.utils import timezone


def locked_out(request, credentials=None):
    cool_off = get_cool_off(request)
    signed_out = request.user.is_authenticated
    if signed_out:
        logout(request)
    return render(request, "accounts/locked_out.html", {
        "retry_at": timezone.localtime(timezone.now() + cool_off),
        "minutes": round(cool_off.total_seconds() / 60),
        "failure_limit": get_failure_limit(request, credentials),
        "signed_out": signed_out,
    }, status=429)
