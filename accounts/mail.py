"""The one-time password link goes to the account's owner only, by e-mail: the data manager who issues it never
sees it, so they cannot set a password they know."""

import logging
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

log = logging.getLogger(__name__)


def password_link_send(*, account, url: str, expires_at) -> bool:
    """Send `url` to `account`'s address; False when the mail server refused or could not be reached."""
    body = (f"A password link was issued for your account {account.username} of the ITP sirolimus trial.\n\n"
            f"Open it to set your password. It works once, until "
            f"{timezone.localtime(expires_at):%Y-%m-%d %H:%M}:\n\n{url}\n\n"
            "If you did not expect it, tell the study's data manager.")
    try:
        send_mail("Set your password · ITP sirolimus trial", body, settings.DEFAULT_FROM_EMAIL, [account.email])
    except (SMTPException, OSError):
        log.warning("password link for %s could not be sent", account.username, exc_info=True)
        return False
    return True


def masked(address: str) -> str:
    """n***@example.org: enough for the data manager to recognise the address, not to copy the link's target."""
    name, _, domain = address.partition("@")
    return f"{name[:1]}***@{domain}"
