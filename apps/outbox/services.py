"""The outbox: work after a commit is recorded with the change and handed to Celery by whoever gets there first —
the committing process right after commit, or the relay (a beat task) for what that could not hand over. A broker
outage delays a PDF or a message; it never loses one, and never turns a committed change into an error page."""
import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from .models import OutboxTask

logger = logging.getLogger(__name__)

# Left for the committing process for this long before the relay takes a row (a slow commit is not sent twice).
GRACE = dt.timedelta(seconds=60)
RELAY_BATCH = 200
KEEP_SENT = dt.timedelta(days=7)


def _broker_errors() -> tuple:
    from kombu.exceptions import OperationalError

    return (OperationalError, OSError, ConnectionError, TimeoutError)


def outbox_enqueue(task, *args) -> OutboxTask:
    """Record ``task(*args)`` in the caller's transaction; after commit, hand it to the broker at once if possible.
    ``args`` must be JSON (ids, not objects: tasks fetch what they need)."""
    row = OutboxTask.objects.create(task=task.name, args=list(args), available_at=timezone.now() + GRACE)
    transaction.on_commit(lambda: _hand_over(row.pk))
    return row


SENT, BROKER_DOWN, FAILED = "sent", "broker_down", "failed"


def _hand_over(row_id: int) -> str:
    """Send one recorded task (after commit, or by the relay): SENT, BROKER_DOWN (recorded for the relay, not raised:
    the change it follows is committed and the person who made it must not see an error page) or FAILED (the row
    cannot be sent as it is — a task renamed by a deploy —: recorded and retried later, the relay goes on)."""
    row = OutboxTask.objects.filter(pk=row_id, sent_at__isnull=True).first()
    if row is None:
        return SENT
    from portal.celery import app

    task = app.tasks.get(row.task)
    try:
        if task is None:
            raise LookupError(f"no task named {row.task}")
        task.apply_async(args=row.args, retry=False)
    except (*_broker_errors(), LookupError) as error:
        attempts = row.attempts + 1
        wait = dt.timedelta(seconds=min(15 * 2 ** min(attempts, 6), 15 * 60))
        OutboxTask.objects.filter(pk=row.pk).update(attempts=attempts, available_at=timezone.now() + wait,
                                                    last_error=f"{error.__class__.__name__}: {error}"[:300])
        if isinstance(error, LookupError):
            logger.error("Outbox: %s(%s) cannot be sent (%s); kept for an operator.", row.task, row.args, error)
            return FAILED
        logger.warning("Broker unavailable: %s(%s) left for the relay (%s).", row.task, row.args, error)
        return BROKER_DOWN
    OutboxTask.objects.filter(pk=row.pk).update(sent_at=timezone.now(), attempts=row.attempts + 1)
    return SENT


def outbox_relay(*, now: dt.datetime | None = None) -> int:
    """Hand over every recorded task that is due and not yet sent, oldest first; stop at the first broker error (the
    broker is still down: the next run tries again); a row that cannot be sent is put back and the relay goes on.
    Each row is claimed (SKIP LOCKED) while it is handed over, so two relays never send the same row. Drops rows
    sent more than a week ago. Returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    seen: set[int] = set()
    while True:
        ids = list(OutboxTask.objects.filter(sent_at__isnull=True, available_at__lte=now).exclude(pk__in=seen)
                   .order_by("available_at", "id").values_list("pk", flat=True)[:RELAY_BATCH])
        if not ids:
            break
        for row_id in ids:
            seen.add(row_id)
            with transaction.atomic():
                claimed = (OutboxTask.objects.select_for_update(skip_locked=True)
                           .filter(pk=row_id, sent_at__isnull=True).exists())
                if not claimed:
                    continue  # another relay has it, or it was sent meanwhile
                outcome = _hand_over(row_id)
            if outcome == BROKER_DOWN:
                return sent
            sent += outcome == SENT
    OutboxTask.objects.filter(sent_at__lt=now - KEEP_SENT).delete()
    return sent
