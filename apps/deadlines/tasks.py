from celery import shared_task
from django.db.models import F, Q
from django.utils import timezone

from .constants import NOTIFY_ON, OPEN_STATUSES, DeadlineStatus
from .models import Deadline
from .services import deadline_sweep_one

BATCH = 500


def _keyset(queryset):
    last = 0
    while True:
        ids = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            return
        yield ids
        last = ids[-1]


@shared_task
def deadlines_sweep() -> int:
    """Beat, every few minutes: recompute open deadlines in keyset batches and notify changes once."""
    now = timezone.now()
    changed = 0
    # Only rows whose status can change by the passing of time: running ones that reached their due-soon moment,
    # due-soon ones past due, and any whose last change was not yet notified. Paused and overdue rows change only
    # through a service (resume, extend), which recomputes them itself.
    candidates = Deadline.objects.filter(
        Q(status=DeadlineStatus.RUNNING, due_soon_at__lte=now)
        | Q(status=DeadlineStatus.DUE_SOON, due_at__lt=now)
        | (Q(status__in=NOTIFY_ON) & ~Q(notified_status=F("status")))
    )
    for ids in _keyset(candidates):
        for pk in ids:
            changed += deadline_sweep_one(deadline_id=pk, now=now)
    return changed


@shared_task
def deadlines_recompute_provisional() -> int:
    """After an official year was entered: recompute every open deadline that rested on a provisional year."""
    from apps.workdays.selectors import calendar_cache_clear

    calendar_cache_clear()
    changed = 0
    for ids in _keyset(Deadline.objects.filter(provisional=True, status__in=OPEN_STATUSES)):
        for pk in ids:
            changed += deadline_sweep_one(deadline_id=pk)
    return changed
