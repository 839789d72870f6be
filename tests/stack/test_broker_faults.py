"""Broker faults against the production configuration, with real sockets and a real worker.

gunicorn runs with CELERY_BROKER_URL pointing at a closed port (broker down) and at a port that accepts and
never answers (broker hung): every save of an abnormal lab succeeds, promptly, and /healthz says 503 within
its timeout. The same form sent twice saves once. Then the worker and beat start on the real Redis: every
pending e-mail goes out exactly once (the sink's count, the EmailSent rows, no duplicate).
"""

import json
import os
import time
from collections import Counter
from datetime import date

import pytest

from .conftest import PASSWORD, days_ago, import_patients, prepare
from .harness import (
    BrokerProxy,
    Timings,
    WebSession,
    closed_port_url,
    compose_command,
    http_get,
    hung_broker,
    wait_for,
)

pytestmark = pytest.mark.stack
FAULT_REDIS_DB = int(os.environ.get("STACK_FAULT_REDIS_DB", "13"))
# seconds: a save must come back long before gunicorn's 30 s timeout. Typically 0.05-0.7 s; the first request a
# fresh gunicorn worker serves on a loaded 2-core machine has been seen at 4 s.
SAVE_LIMIT = 10.0
HEALTH_LIMIT = 5.0  # /healthz gives the broker 1 s
DOCTOR = ["doctor@stack.example.org"]


def save_lab(session: WebSession, study_id: str, *, form: dict | None = None) -> tuple[int, float, dict]:
    path = f"/safety/patients/{study_id}/labs/new/"
    data = form or {**session.form(path), "sample_date": date.today().isoformat(), "alt": "100", "alt_unit": "U/L",
                    "alt_uln": "40"}
    started = time.monotonic()
    status, headers, _ = session.request(path, data)
    return status, time.monotonic() - started, data


def health(url: str) -> tuple[int, dict, float]:
    started = time.monotonic()
    status, _, body = http_get(f"{url}/healthz", timeout=30)
    return status, json.loads(body), time.monotonic() - started


def counts(stack) -> dict:
    with stack.connect() as conn:
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        return {"samples": one("select count(*) from safety_labsample"),
                "proposals": one("select count(*) from safety_aeproposal"),
                "reminders": one("select count(*) from inbox_reminder where kind = 'ae_proposed'"),
                "outbox_pending": one("select count(*) from inbox_outboxmessage where done_at is null"),
                "emails_recorded": one("select count(*) from inbox_emailsent")}


@pytest.mark.parametrize("stack_services", [FAULT_REDIS_DB], indirect=True)
def test_saves_survive_a_broker_down_or_hung_and_every_email_goes_once(stack_services, tmp_path):
    stack, timings = stack_services, Timings("broker-faults")
    # Every save tries the broker (no back-off between tries): the worst case for the request.
    stack.extra.update(OUTBOX_DRAIN_EVERY="2", OUTBOX_KICK_BACKOFF="0")
    prepare(stack, timings)
    with timings.step("import 7 patients (import_study)"):
        ids = import_patients(stack, tmp_path, count=7, start=days_ago(20))
    saves: dict[str, list[float]] = {"down": [], "hung": []}

    with hung_broker() as (hung_url, held):
        with timings.step("start gunicorn twice: broker on a closed port, broker that never answers"):
            _, down_url = stack.web("web-broker-down", CELERY_BROKER_URL=closed_port_url())
            _, hung_url_web = stack.web("web-broker-hung", CELERY_BROKER_URL=hung_url)

        with timings.step("/healthz with the broker down and hung: 503 within the broker timeout"):
            for url in (down_url, hung_url_web):
                status, body, seconds = health(url)
                assert status == 503 and body["database"] == "ok" and body["broker"] != "ok", body
                assert seconds < HEALTH_LIMIT, seconds

        with timings.step("3 abnormal labs saved with the broker down"):
            down = WebSession(down_url)
            down.login("nurse", PASSWORD)
            for study_id in ids[:3]:
                status, seconds, form = save_lab(down, study_id)
                assert status == 302, status
                saves["down"].append(round(seconds, 2))
        with timings.step("the nurse sends the last form again (retry after an error): nothing saved twice"):
            status, seconds, _ = save_lab(down, ids[2], form=form)
            assert status == 302
            retry_seconds = round(seconds, 2)

        with timings.step("3 abnormal labs saved with the broker hung"):
            hung = WebSession(hung_url_web)
            hung.login("nurse", PASSWORD)
            for study_id in ids[3:6]:
                status, seconds, _ = save_lab(hung, study_id)
                assert status == 302, status
                saves["hung"].append(round(seconds, 2))
            assert held, "the hung broker was never even connected to"
            status, _, _ = hung.request("/patients/", timeout=10)
            assert status == 200  # the site is still up
        assert max(saves["down"] + saves["hung"] + [retry_seconds]) < SAVE_LIMIT, saves

        during = counts(stack)
        assert during == {"samples": 6, "proposals": 6, "reminders": 6, "outbox_pending": 6, "emails_recorded": 0}
        assert stack.sink.messages == []

    with timings.step("broker back: worker and beat start on Redis; every pending e-mail arrives"):
        stack.start("worker", compose_command("worker"), ready="ready.")
        stack.start("beat", compose_command("beat", replace={"/tmp/celerybeat-schedule": str(
            tmp_path / "celerybeat-schedule")}), ready="beat: Starting")
        wait_for(lambda: len(stack.sink.messages) >= 6 and counts(stack)["outbox_pending"] == 0, 90,
                 "the pending e-mails")
    time.sleep(5)  # two more drains by beat: nothing may go out again

    with timings.step("one more save with the broker up: its e-mail arrives"):
        _, ok_url = stack.web("web-broker-up")
        assert health(ok_url)[0] == 200
        up = WebSession(ok_url)
        up.login("nurse", PASSWORD)
        assert save_lab(up, ids[6])[0] == 302
        wait_for(lambda: len(stack.sink.messages) == 7, 30, "the e-mail of a save with the broker up")

    after = counts(stack)
    to_doctor = [m for m in stack.sink.messages if m["to"] == DOCTOR]
    duplicates = sum(n - 1 for n in Counter((tuple(m["to"]), m["body"]) for m in stack.sink.messages).values())
    assert len(to_doctor) == len(stack.sink.messages) == 7 and duplicates == 0
    assert after == {"samples": 7, "proposals": 7, "reminders": 7, "outbox_pending": 0, "emails_recorded": 7}
    assert {m["body"].split(":")[0] for m in to_doctor} == set(ids)
    timings.report(saves_with_broker_down=len(saves["down"]), seconds_broker_down=saves["down"],
                   saves_with_broker_hung=len(saves["hung"]), seconds_broker_hung=saves["hung"],
                   retried_save_seconds=retry_seconds, samples_and_proposals_after_retry=(during["samples"],
                                                                                       during["proposals"]),
                   emails_sent_after_broker_back=6, emails_total=len(stack.sink.messages),
                   email_duplicates=duplicates)


@pytest.mark.parametrize("stack_services", [FAULT_REDIS_DB], indirect=True)
@pytest.mark.parametrize("hang_style", ["stalled", "blackhole"])
def test_the_running_stack_rides_out_a_broker_outage_and_a_hang(stack_services, tmp_path, hang_style):
    """web, worker and beat all reach Redis through a proxy that goes down, then hangs, then comes back.
    A blackholed connection is only left by timing out (CELERY_BROKER_TRANSPORT_OPTIONS)."""
    stack, timings = stack_services, Timings(f"broker-outage-{hang_style}")
    proxy = BrokerProxy(stack.broker_url, hang_style=hang_style)
    proxy.up()
    stack.broker_url = proxy.url
    stack.extra.update(OUTBOX_DRAIN_EVERY="2", OUTBOX_KICK_BACKOFF="0")
    try:
        prepare(stack, timings)
        ids = import_patients(stack, tmp_path, count=7, start=days_ago(20))
        with timings.step("start web, worker and beat (broker through the proxy)"):
            _, url = stack.web()
            stack.start("worker", compose_command("worker"), ready="ready.")
            stack.start("beat", compose_command("beat", replace={"/tmp/celerybeat-schedule": str(
                tmp_path / "celerybeat-schedule")}), ready="beat: Starting")
        nurse = WebSession(url)
        nurse.login("nurse", PASSWORD)
        with timings.step("broker up: a save's e-mail arrives"):
            assert save_lab(nurse, ids[0])[0] == 302
            wait_for(lambda: len(stack.sink.messages) == 1, 30, "the first e-mail")

        seconds = {"down": [], "hung": []}
        with timings.step("broker down (port closed, connections cut): 3 saves"):
            proxy.down()
            for study_id in ids[1:4]:
                status, took, _ = save_lab(nurse, study_id)
                assert status == 302
                seconds["down"].append(round(took, 2))
            assert health(url)[0] == 503
        with timings.step("broker hung (accepts, never answers): 3 saves"):
            proxy.hang()
            for study_id in ids[4:7]:
                status, took, _ = save_lab(nurse, study_id)
                assert status == 302
                seconds["hung"].append(round(took, 2))
            status, _, took = health(url)
            assert status == 503 and took < HEALTH_LIMIT
        assert max(seconds["down"] + seconds["hung"]) < SAVE_LIMIT, seconds
        time.sleep(3)
        assert len(stack.sink.messages) == 1 and counts(stack)["outbox_pending"] == 6

        with timings.step("broker back: worker and beat reconnect, the 6 pending e-mails arrive"):
            proxy.up()
            wait_for(lambda: len(stack.sink.messages) >= 7 and counts(stack)["outbox_pending"] == 0, 150,
                     "the pending e-mails after the outage")
        time.sleep(5)  # more drains: nothing goes out twice
        after = counts(stack)
        duplicates = sum(n - 1 for n in Counter(m["body"] for m in stack.sink.messages).values())
        assert len(stack.sink.messages) == 7 and duplicates == 0 and after["emails_recorded"] == 7
        assert after["samples"] == after["proposals"] == 7
        timings.report(saves_with_broker_down=len(seconds["down"]), seconds_broker_down=seconds["down"],
                       saves_with_broker_hung=len(seconds["hung"]), seconds_broker_hung=seconds["hung"],
                       emails_sent_after_broker_back=len(stack.sink.messages) - 1, email_duplicates=duplicates)
    finally:
        stack.stop_all()
        proxy.close()
