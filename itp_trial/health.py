"""/healthz for the orchestrator: is the database reachable, is the broker reachable?

No login, no session, no database write; 200 when both answer, 503 (with which one failed) otherwise.
Answered by the first middleware, before host validation and the HTTPS redirect: an orchestrator probes the
container by its address over plain HTTP, which ALLOWED_HOSTS and SECURE_SSL_REDIRECT would otherwise refuse.
The broker gets settings.HEALTH_BROKER_TIMEOUT seconds to answer a ping, so a hung broker cannot hang the
health check (and with it the orchestrator's view of the web container).
"""

import time

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpResponseNotAllowed, JsonResponse
from django.utils.cache import add_never_cache_headers

PATH = "/healthz"


def database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure is "unreachable" to the orchestrator
        return False, type(exc).__name__
    return True, "ok"


def broker_ok(*, url: str, timeout: float) -> tuple[bool, str]:
    if not url:
        return True, "eager (no broker configured)"
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout,
                                      retry_on_timeout=False)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:
        return False, type(exc).__name__
    return True, "ok"


def healthz(request):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    started = time.monotonic()
    db, db_detail = database_ok()
    broker, broker_detail = broker_ok(url=settings.CELERY_BROKER_URL, timeout=settings.HEALTH_BROKER_TIMEOUT)
    body = {"status": "ok" if db and broker else "unavailable",
            "database": db_detail, "broker": broker_detail,
            "seconds": round(time.monotonic() - started, 3)}
    response = JsonResponse(body, status=200 if db and broker else 503)
    add_never_cache_headers(response)
    return response


class HealthCheckMiddleware:
    """First in MIDDLEWARE: /healthz is answered here and goes no further."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == PATH:
            return healthz(request)
        return self.get_response(request)
