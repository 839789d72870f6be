"""The transactional outbox: what must happen after a commit is written as a row in that same transaction.

- outbox_put (inside the caller's transaction) writes the message once (unique key) and, after commit,
  nudges a worker (outbox_kick).
- outbox_kick never raises and never waits for long: it gives the broker OUTBOX_KICK_TIMEOUT seconds and,
  after a failure, does not try again for OUTBOX_KICK_BACKOFF seconds. A save therefore neither fails nor
  hangs when the broker is down or hung; the row waits.
- outbox_drain (the worker's task, also run by beat every OUTBOX_DRAIN_EVERY seconds) handles the pending
  messages in batches until none is pending (no cap per run), each one under its row lock in its own
  transaction (skip locked: two workers never take the same message); a message that fails is retried later
  with a growing delay. Nothing is lost while the broker is away.

Delivery: the handler's effects (EmailSent rows) and "done" commit together with the row lock held. Only a
worker killed after the mail server accepted an e-mail and before that commit would send it again.
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import DatabaseError, transaction
from django.utils import timezone

from .emails import recipients_by_audience, reminder_email_send
from .models import OutboxMessage

logger = logging.getLogger(__name__)
MAX_RETRY_DELAY = timedelta(hours=1)
BATCH_SIZE = 500  # messages read per batch; the drain goes on, batch after batch, until none is pending

_kick_blocked_until = 0.0  # per process: after a failed kick, requests stop trying for a while


def outbox_put(messages: list[OutboxMessage], *, kick: bool = True) -> None:
    """Write `messages` in the current transaction (an existing key is kept); nudge a worker after commit."""
    if not messages:
        return
    OutboxMessage.objects.bulk_create(messages, ignore_conflicts=True)
    if kick:
        transaction.on_commit(outbox_kick)


def outbox_kick() -> bool:
    """Ask a worker to drain the outbox now. True if the broker took the request; never raises."""
    global _kick_blocked_until
    if settings.CELERY_TASK_ALWAYS_EAGER:  # no broker (local development): drain here and now
        try:
            outbox_drain()
        except Exception:
            logger.exception("outbox drain failed; the messages stay pending")
            return False
        return True
    if time.monotonic() < _kick_blocked_until:
        return False
    from .tasks import drain_outbox_task

    timeout = settings.OUTBOX_KICK_TIMEOUT
    started = time.monotonic()
    try:
        with drain_outbox_task.app.connection_for_write(
                settings.CELERY_BROKER_URL or None, connect_timeout=timeout,
                transport_options={"socket_timeout": timeout, "socket_connect_timeout": timeout,
                                   "max_retries": 0}) as connection:
            drain_outbox_task.apply_async(connection=connection, retry=False)
    except Exception as exc:  # broker down, hung, refusing: the beat drain picks the messages up later
        _kick_blocked_until = time.monotonic() + settings.OUTBOX_KICK_BACKOFF
        logger.warning("outbox: broker unavailable after %.2f s (%s: %s); messages stay pending",
                       time.monotonic() - started, type(exc).__name__, exc)
        return False
    return True


def _handle(message: OutboxMessage, *, context: dict) -> None:
    if message.topic == OutboxMessage.Topic.REMINDER_EMAIL:
        if "connection" not in context:
            context["recipients"] = recipients_by_audience()
            context["connection"] = get_connection(fail_silently=False)
            context["connection"].open()  # one SMTP session for the whole drain
        reminder_email_send(message, connection=context["connection"], recipients=context["recipients"])
    else:
        raise ValueError(f"unknown outbox topic {message.topic!r}")


def outbox_drain(*, topics: list[str] | None = None, limit: int | None = None,
                 batch_size: int | None = None) -> int:
    """Handle pending messages, oldest first, in batches of `batch_size` until none is left (or `limit` were done:
    no limit by default, so a backlog goes out in one drain); returns how many were done. Each message is handled
    and marked done in its own transaction, so a crash between (or within) batches re-sends nothing already done."""
    done, after = 0, 0
    batch_size = batch_size or BATCH_SIZE
    context: dict = {}
    try:
        while limit is None or done < limit:
            size = batch_size if limit is None else min(batch_size, limit - done)
            ids = _pending_ids(topics, size, after=after)
            for message_id in ids:
                done += _drain_one(message_id, context=context)
            if len(ids) < size:
                break
            after = ids[-1]  # onwards: a message another worker holds (or that failed) is not asked for again
    finally:
        if context.get("connection") is not None:
            try:
                context["connection"].close()
            except Exception:
                logger.warning("outbox: closing the mail connection failed", exc_info=True)
    return done


def _pending_ids(topics: list[str] | None, size: int, *, after: int) -> list[int]:
    """The next `size` messages due after message `after` (oldest first); each is locked when handled."""
    pending = OutboxMessage.objects.filter(done_at__isnull=True, next_attempt_at__lte=timezone.now(), pk__gt=after)
    if topics is not None:
        pending = pending.filter(topic__in=topics)
    return list(pending.order_by("pk").values_list("pk", flat=True)[:size])


def _drain_one(message_id: int, *, context: dict) -> int:
    """Handle one message under its row lock (skipped if another worker holds it or it is no longer due);
    1 when it was done."""
    with transaction.atomic():
        message = (OutboxMessage.objects.select_for_update(skip_locked=True)
                   .filter(pk=message_id, done_at__isnull=True, next_attempt_at__lte=timezone.now()).first())
        if message is None:
            return 0
        message.attempts += 1
        savepoint = transaction.savepoint()
        try:
            _handle(message, context=context)
        except Exception as exc:  # the mail server refused or is away: try this message again later
            if isinstance(exc, DatabaseError):
                transaction.savepoint_rollback(savepoint)
            else:  # keep the EmailSent rows of those who did get it
                transaction.savepoint_commit(savepoint)
            delay = min(timedelta(seconds=30) * 2 ** (message.attempts - 1), MAX_RETRY_DELAY)
            message.next_attempt_at = timezone.now() + delay
            message.last_error = f"{type(exc).__name__}: {exc}"[:250]
            message.save(update_fields=["attempts", "next_attempt_at", "last_error"])
            logger.warning("outbox: %s failed (attempt %s), retry in %s: %s", message.key,
                           message.attempts, delay, message.last_error)
            context.pop("connection", None)
            return 0
        message.done_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["attempts", "done_at", "last_error"])
        return 1
