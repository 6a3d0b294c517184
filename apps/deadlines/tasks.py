import logging

from celery import shared_task

from .services import deadlines_sweep_run

logger = logging.getLogger(__name__)


@shared_task
def deadlines_sweep() -> int:
    """Beat, every few minutes (services.deadlines_sweep_run): catch up with calendar changes, then mark and notify the
    deadlines whose due-soon or due moment has come. A run that finds another sweep at work does nothing."""
    return deadlines_sweep_run() or 0


@shared_task(bind=True, max_retries=40)
def deadlines_recompute_year(self, year: int) -> int:
    """After a year was entered or corrected: the same sweep, at once. Safe to run twice (a deadline already on the
    latest calendar is not looked at again). When another sweep holds the lease, try again shortly: that one may have
    read the calendar before this entry."""
    changed = deadlines_sweep_run()
    if changed is None:
        raise self.retry(countdown=15)
    logger.info("Calendar %s entered: %s deadlines changed.", year, changed)
    return changed
