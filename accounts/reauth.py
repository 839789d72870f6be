"""The signature's password prompt goes through the same sign-in lockout as the login page.

`authenticate` with the request lets axes refuse a locked-out user or address and count a wrong password; after
the limit the lockout page replaces the answer (accounts.lockout) and the user is signed out.
"""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

WRONG_PASSWORD = _("The password is not correct; nothing was signed.")


def password_reconfirmed(request, form, field: str = "password") -> bool:
    """True when the signed-in user typed their own password into `form`'s `field`; else the error is put next to
    the field (the attempt is counted towards the lockout)."""
    user = authenticate(request, username=request.user.get_username(), password=form.cleaned_data[field])
    if user is not None and user.pk == request.user.pk:
        return True
    form.add_error(field, WRONG_PASSWORD)
    return False
