import datetime as dt

from celery import shared_task
from django.db.models import F, Q
from django.utils import timezone

from .constants import NOTIFY_ON, OPEN_STATUSES, DeadlineStatus
from .models import Deadline
from .services import deadline_recompute, deadline_sweep_one

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


def _touching_year(year: int):
    """Open deadlines whose window (from their start to their due moment) touches ``year``, and every provisional
    one: entering or correcting that year may move them."""
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    window = Q(started_at__lt=end) & (Q(due_at__gte=start) | Q(due_at__isnull=True))
    return Deadline.objects.filter(Q(provisional=True) | window, status__in=OPEN_STATUSES)


@shared_task
def deadlines_recompute_year(year: int) -> int:
    """After a year was entered or corrected (official or not): recompute every open deadline it may move, in keyset
    batches; each deadline's copies on its case move with it (services._copy_due). Safe to run twice."""
    from apps.workdays.selectors import calendar_cache_clear

    calendar_cache_clear()
    changed = 0
    for ids in _keyset(_touching_year(year)):
        for pk in ids:
            changed += deadline_recompute(deadline_id=pk, year=year)
    return changed
