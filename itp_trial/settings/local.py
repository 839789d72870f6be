"""Development settings: `make run` on a bare machine (SQLite, eager Celery, console email)."""

import os

os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: E402,F403
from .base import env_bool  # noqa: E402

DEBUG = env_bool("DEBUG", True)
WHITENOISE_USE_FINDERS = True
SECRET_KEY = SECRET_KEY or "local-development-only-not-secret"  # noqa: F405
