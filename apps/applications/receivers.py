def on_calendar_year_changed(sender, year, **kwargs):
    """A year was entered or corrected: the statistics' working days it spans are recounted in the worker."""
    from apps.outbox.services import outbox_enqueue

    from .tasks import statistics_recount_year

    outbox_enqueue(statistics_recount_year, year)
