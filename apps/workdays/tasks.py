import logging

from celery import shared_task
from django.utils import timezone

from . import selectors, services

logger = logging.getLogger(__name__)


@shared_task
def calendar_year_changed_notify(year: int) -> None:
    services.calendar_year_changed_dispatch(year=year)


@shared_task
def check_calendar_coverage() -> list[int]:
    """Daily: log a warning while this or next year rests on provisional data (the admin shows the same)."""
    selectors.calendar_cache_clear()
    missing = selectors.years_missing_official_data(today=timezone.localdate())
    for year in missing:
        logger.warning("Working-day calendar: no official holidays for %s yet; deadlines in it are provisional.", year)
    return missing
