"""Controlled vocabularies of enrolment (SPEC §1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class Therapy(models.TextChoices):
    GLUCOCORTICOIDS = "glucocorticoids", _("Glucocorticoids")
    IVIG = "ivig", _("IVIG")
    CYCLOSPORINE = "cyclosporine", _("Cyclosporine A")
    TPO_RA = "tpo_ra", _("TPO receptor agonist")
    ELTROMBOPAG = "eltrombopag", _("Eltrombopag")
    AZATHIOPRINE = "azathioprine", _("Azathioprine")
    TCM = "tcm", _("Traditional Chinese medicine")
    RITUXIMAB = "rituximab", _("Rituximab")
    OTHER = "other", _("Other")


class SecondLine(models.TextChoices):
    """What the enrolling user states about second-line therapy before sirolimus (the washout item)."""

    NONE = "none", _("None: no second-line therapy before sirolimus")
    STOPPED = "stopped", _("Stopped at least 1 month before sirolimus start")
    RECENT = "recent", _("Stopped less than 1 month before sirolimus start, or still taken")


FIRST_LINE = frozenset({Therapy.GLUCOCORTICOIDS, Therapy.IVIG})


def is_second_line(therapy: str) -> bool:
    return therapy not in FIRST_LINE
