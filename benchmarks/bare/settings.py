"""The bare baseline: a Django project with one model, one INSERT view and one indexed read view.

It runs on the same PostgreSQL server, under the same gunicorn settings, as the product it is measured against,
so the ratio between them is what the product's own work costs. DATABASE_URL and SECRET_KEY come from the runner.
"""

import os

import dj_database_url

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "bare-baseline-not-secret")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["benchmarks.bare"]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "benchmarks.bare.urls"
WSGI_APPLICATION = "benchmarks.bare.wsgi.application"
DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}  # as the product
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
