"""The same ISO formats as English (see itp_trial/formats/en/formats.py)."""

from itp_trial.formats.en.formats import *  # noqa: F403
