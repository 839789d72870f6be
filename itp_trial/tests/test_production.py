"""The production configuration as files: settings, Dockerfile, compose, vendored static files, templates.

The processes themselves run in tests/stack/ (gunicorn, Celery worker and beat, collectstatic)."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
SHOW = ("import json, django.conf as c; s = c.settings; print(json.dumps({k: getattr(s, k, None) for k in ["
        "'DEBUG', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
        "'SECURE_HSTS_PRELOAD', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
        "'SECURE_PROXY_SSL_HEADER', 'MIDDLEWARE', 'STORAGES', 'WHITENOISE_MAX_AGE']}))")


def production(**env) -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "itp_trial.settings.production"}
    return subprocess.run([sys.executable, "-c", f"import django; django.setup(); {SHOW}"], cwd=BASE_DIR,
                          env={**base, **env}, capture_output=True, text=True, timeout=60)


SECRETS = {"SECRET_KEY": "x" * 60, "DATABASE_URL": "postgres://u@127.0.0.1:5432/db"}


def test_production_refuses_to_start_without_a_secret_key_or_a_database():
    assert "SECRET_KEY must be set" in production(DATABASE_URL="postgres://u@h/db").stderr
    assert "DATABASE_URL must be set" in production(SECRET_KEY="x" * 60).stderr


def test_production_defaults_are_https_only_with_hsts_and_manifest_static_files():
    done = production(**SECRETS)
    assert done.returncode == 0, done.stderr
    s = json.loads(done.stdout)
    assert s["DEBUG"] is False and s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_HSTS_SECONDS"] >= 31536000 and s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and s["SECURE_HSTS_PRELOAD"]
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"]
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert "itp_trial.csp.ContentSecurityPolicyMiddleware" in s["MIDDLEWARE"]
    assert s["MIDDLEWARE"][0] == "itp_trial.health.HealthCheckMiddleware"  # before host checks and redirects
    assert s["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert s["WHITENOISE_MAX_AGE"] >= 31536000


def test_plain_http_on_loopback_is_switched_by_the_environment():
    s = json.loads(production(**SECRETS, SECURE_SSL_REDIRECT="false", SECURE_COOKIES="false",
                              SECURE_PROXY_SSL_HEADER="false").stdout)
    assert s["SECURE_SSL_REDIRECT"] is False and s["SESSION_COOKIE_SECURE"] is False
    assert s["CSRF_COOKIE_SECURE"] is False and s["SECURE_PROXY_SSL_HEADER"] is None


def test_dockerfile_and_compose_run_the_same_settings_and_gunicorn_config():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    module = compose["x-app"]["environment"]["DJANGO_SETTINGS_MODULE"]
    assert module == "itp_trial.settings.production"
    assert f"DJANGO_SETTINGS_MODULE={module}" in dockerfile
    assert re.search(r"RUN .*\\\n\s+python manage.py collectstatic --noinput", dockerfile)  # under that ENV
    assert "gunicorn.conf.py" in dockerfile and compose["services"]["web"]["command"][:3] == [
        "gunicorn", "--config", "gunicorn.conf.py"]
    for service in ("migrate", "web", "worker", "beat"):
        assert compose["services"][service]["environment"]["DJANGO_SETTINGS_MODULE"] == module


def test_every_source_map_a_vendored_file_names_is_vendored():
    named = []
    for path in (BASE_DIR / "static").rglob("*"):
        if path.suffix in {".js", ".css"}:
            for target in re.findall(r"sourceMappingURL=([^\s*]+)", path.read_text(errors="replace")):
                named.append(path.parent / target)
    assert named and [str(p) for p in named if not p.exists()] == []


TEMPLATE_RULES = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "style element": re.compile(r"<style\b", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


@pytest.mark.parametrize("rule", sorted(TEMPLATE_RULES))
def test_templates_have_nothing_the_content_security_policy_blocks(rule):
    # *_pdf.html templates are rendered into a PDF on the server and never served to a browser.
    found = [f"{path.relative_to(BASE_DIR)}:{text[:match.start()].count(chr(10)) + 1}"
             for path in (BASE_DIR / "templates").rglob("*.html") if not path.name.endswith("_pdf.html")
             for text in [path.read_text()] for match in TEMPLATE_RULES[rule].finditer(text)]
    assert found == [], f"{rule} in templates (move it to static/js or static/css): {found}"
