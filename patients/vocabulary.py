"""Controlled vocabularies of enrolment (SPEC §1)."""

from django.db import models


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"


class Therapy(models.TextChoices):
    GLUCOCORTICOIDS = "glucocorticoids", "Glucocorticoids"
    IVIG = "ivig", "IVIG"
    CYCLOSPORINE = "cyclosporine", "Cyclosporine A"
    TPO_RA = "tpo_ra", "TPO receptor agonist"
    ELTROMBOPAG = "eltrombopag", "Eltrombopag"
    AZATHIOPRINE = "azathioprine", "Azathioprine"
    TCM = "tcm", "Traditional Chinese medicine"
    RITUXIMAB = "rituximab", "Rituximab"
    OTHER = "other", "Other"


class SecondLine(models.TextChoices):
    """What the enrolling user states about second-line therapy before sirolimus (the washout item)."""

    NONE = "none", "None: no second-line therapy before sirolimus"
    STOPPED = "stopped", "Stopped at least 1 month before sirolimus start"
    RECENT = "recent", "Stopped less than 1 month before sirolimus start, or still taken"


FIRST_LINE = frozenset({Therapy.GLUCOCORTICOIDS, Therapy.IVIG})


def is_second_line(therapy: str) -> bool:
    return therapy not in FIRST_LINE
