import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def statistics_recount_year(year: int) -> int:
    """After a year of the holiday calendar was entered or corrected (apps.workdays.signals.calendar_year_changed):
    the statistics' working days of the applications it spans. Idempotent."""
    from .services import statistics_recount_year as recount

    changed = recount(year=year)
    logger.info("Calendar %s entered: working days recounted on %s applications.", year, changed)
    return changed
