"""The one-time password link goes to the account's owner only, by e-mail: the data manager who issues it never
sees it, so they cannot set a password they know."""

import logging
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .languages import language_of

log = logging.getLogger(__name__)


def password_link_send(*, account, url: str, expires_at) -> bool:
    """Send `url` to `account`'s address, in the owner's language; False when the mail server refused or could not
    be reached."""
    with translation.override(language_of(account)):
        subject = _("Set your password · ITP sirolimus trial")
        body = _("A password link was issued for your account %(username)s of the ITP sirolimus trial.\n\n"
                 "Open it to set your password. It works once, until %(until)s:\n\n%(url)s\n\n"
                 "If you did not expect it, tell the study's data manager.") % {
            "username": account.username, "url": url,
            "until": f"{timezone.localtime(expires_at):%Y-%m-%d %H:%M}"}
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [account.email])
    except (SMTPException, OSError):
        log.warning("password link for %s could not be sent", account.username, exc_info=True)
        return False
    return True


def masked(address: str) -> str:
    """n***@example.org: enough for the data manager to recognise the address, not to copy the link's target."""
    name, _, domain = address.partition("@")
    return f"{name[:1]}***@{domain}"
