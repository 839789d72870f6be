"""The production stack, end to end: docker-compose.yml's commands as processes (migrate, gunicorn, Celery worker
and beat) with the production settings, static files collected as the Dockerfile does, e-mail to an SMTP sink.

A nurse logs in through the real login page, enrols a patient, records the week-1 visit and an abnormal ALT;
the physician's e-mail goes out through the outbox, beat runs the reminder scan within seconds
(REMINDER_SCAN_EVERY) and the nurses' reminder e-mail arrives; both inboxes show their reminders.
"""

import json
import re
import time
from collections import Counter

import pytest
from playwright.sync_api import expect

from tests.browser.test_nurse_flow import fill_enrolment

from .conftest import PASSWORD, days_ago, prepare
from .harness import ARTIFACTS, Timings, compose_command, http_get, wait_for

pytestmark = [pytest.mark.stack, pytest.mark.browser]
YEAR = 31536000


def login(page, url, username):
    page.goto(f"{url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{url}/patients/")


def shoot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 768):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_production_stack_serves_sends_and_reminds(stack_services, page):
    stack, timings = stack_services, Timings("stack")
    stack.extra.update(REMINDER_SCAN_EVERY="3", OUTBOX_DRAIN_EVERY="2")
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    prepare(stack, timings)
    with timings.step("start gunicorn (compose 'web', gunicorn.conf.py) until /healthz answers"):
        _, url = stack.web()
    with timings.step("start the Celery worker (compose 'worker') until ready"):
        worker = stack.start("worker", compose_command("worker"), ready="ready.")
    with timings.step("start Celery beat (compose 'beat')"):
        beat = stack.start("beat", compose_command("beat", replace={"/tmp/celerybeat-schedule": str(
            stack.static_root.parent / "celerybeat-schedule")}), ready="beat: Starting")

    with timings.step("/healthz: database and broker reachable"):
        status, headers, body = http_get(f"{url}/healthz")
        assert status == 200, body
        health = json.loads(body)
        assert health["database"] == "ok" and health["broker"] == "ok"
        assert "no-cache" in headers["Cache-Control"] or "max-age=0" in headers["Cache-Control"]

    with timings.step("static files: 200, hashed names, far-future caching"):
        status, headers, body = http_get(f"{url}/login/")
        assert status == 200
        assert "Content-Security-Policy" in headers and "script-src 'self'" in headers["Content-Security-Policy"]
        stylesheet = re.search(r'href="(/static/vendor/bootstrap-5\.3\.9/bootstrap\.min\.[0-9a-f]{12}\.css)"',
                               body.decode()).group(1)
        manifest = json.loads((stack.static_root / "staticfiles.json").read_text())["paths"]
        chart = "/static/" + manifest["vendor/chart.js-4.6.1/chart.umd.min.js"]
        for path in (stylesheet, chart, "/static/" + manifest["js/ae-form.js"]):
            status, headers, content = http_get(url + path)
            assert status == 200, path
            assert int(re.search(r"max-age=(\d+)", headers["Cache-Control"]).group(1)) >= YEAR, headers
        source_map = re.search(rb"sourceMappingURL=(\S+)", http_get(url + chart)[2]).group(1).decode()
        assert http_get(url + chart.rsplit("/", 1)[0] + "/" + source_map)[0] == 200  # the map is vendored

    with timings.step("nurse logs in through the login page"):
        login(page, url, "nurse")
    with timings.step("nurse enrols a patient (day 0 eight days ago)"):
        page.get_by_role("link", name="Enrol a patient").click()
        fill_enrolment(page, start=days_ago(8))
        page.get_by_role("button", name="Enrol").click()
        expect(page.get_by_role("heading", name="ITP-001")).to_be_visible()
    with timings.step("nurse records the week-1 visit"):
        page.get_by_test_id("schedule").locator("tr[data-code=week1]").get_by_role("link", name="Record").click()
        page.get_by_label("Platelet count (×10⁹/L)").fill("31")
        page.locator("input[name=bleeding_grade][value='0']").check()
        page.get_by_role("button", name="Save visit").click()
        expect(page.get_by_role("alert").first).to_contain_text("Week 1 saved: category R")
    with timings.step("nurse records an abnormal lab (ALT 100 U/L, ULN 40)"):
        page.get_by_role("link", name="Enter safety labs").click()
        page.get_by_label("ALT", exact=True).fill("100")
        page.get_by_role("button", name="Save safety labs").click()
        expect(page.get_by_role("alert").nth(1)).to_contain_text("Alanine aminotransferase increased grade 1")

    sink = stack.sink
    with timings.step("e-mail to the physician (outbox → worker → SMTP sink)"):
        wait_for(lambda: [m for m in sink.messages if m["to"] == ["doctor@stack.example.org"]], 60,
                 "the physician's e-mail")
    with timings.step("beat triggers the reminder scan; the nurse's e-mail arrives"):
        wait_for(lambda: [m for m in sink.messages if m["to"] == ["nurse@stack.example.org"]], 60,
                 "the nurses' reminder e-mail")
        assert "Sending due task scan-reminders-daily (inbox.scan_reminders)" in beat.output()
        assert "inbox.scan_reminders" in worker.output()

    with timings.step("the nurse's inbox shows the reminder"):
        page.get_by_test_id("inbox-link").click()
        expect(page.get_by_test_id("inbox")).to_contain_text("ITP-001: safety labs (")
        shoot(page, "stack-inbox-nurse")
    with timings.step("the physician logs in; the inbox shows the proposed adverse event"):
        page.get_by_role("button", name="Log out").click()
        login(page, url, "doctor")
        page.get_by_test_id("inbox-link").click()
        expect(page.get_by_test_id("inbox")).to_contain_text(
            "ITP-001: confirm or dismiss Alanine aminotransferase increased grade 1 from the lab of")
        shoot(page, "stack-inbox-physician")

    time.sleep(4)  # more beat ticks (scan and drain): nothing may be sent twice
    doctor = [m for m in sink.messages if m["to"] == ["doctor@stack.example.org"]]
    assert [m["subject"] for m in doctor] == ["[ITP trial] Adverse event to confirm: ITP-001"]
    assert "ITP-001: confirm or dismiss Alanine aminotransferase increased grade 1 from the lab of" in doctor[0]["body"]
    duplicates = [key for key, n in Counter((tuple(m["to"]), m["subject"]) for m in sink.messages).items() if n > 1]
    assert duplicates == []
    with stack.connect() as conn:
        sent = conn.execute("select count(*) from inbox_emailsent").fetchone()[0]
        pending = conn.execute("select count(*) from inbox_outboxmessage where done_at is null").fetchone()[0]
    assert sent == len(sink.messages) and pending == 0
    assert violations == []
    timings.report(emails=len(sink.messages), subjects=sorted({m["subject"][:60] for m in sink.messages}))
