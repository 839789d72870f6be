"""Production settings: refuse to start without a secret key and a database.

Docker (build and run), docker-compose and the stack test (tests/stack/) all use this module.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured("SECRET_KEY must be set in production")
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL must be set in production")

DEBUG = False
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)  # noqa: F405
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Hashed file names never change content: a year of caching (whitenoise sends "immutable" for them).
WHITENOISE_MAX_AGE = 31536000

# ---- Transport security (HTTPS) ---------------------------------------------------------------------------
# Plain HTTP on loopback (the stack test, a local trial run): SECURE_SSL_REDIRECT=false SECURE_COOKIES=false.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)  # noqa: F405
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)  # noqa: F405
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)  # noqa: F405
# Behind a TLS-terminating proxy (compose publishes the web port on 127.0.0.1 only): the proxy's
# X-Forwarded-Proto says whether the browser used HTTPS. Set SECURE_PROXY_SSL_HEADER=false when the app is
# reached without such a proxy (a client could then forge the header).
if env_bool("SECURE_PROXY_SSL_HEADER", True):  # noqa: F405
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SIGN_IN_ADDRESS_FROM_PROXY = True  # the lockout counts per browser's address, not per proxy (accounts/)
# ---- end transport security -------------------------------------------------------------------------------
