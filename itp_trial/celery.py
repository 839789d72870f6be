"""The Celery application. Tasks stay thin: they load ids and call a service."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itp_trial.settings.local")

app = Celery("itp_trial")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
