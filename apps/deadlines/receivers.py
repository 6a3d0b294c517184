def on_calendar_year_changed(sender, year, **kwargs):
    """A year was entered or corrected: recompute the open deadlines it may move (in batches, in the worker)."""
    from apps.outbox.services import outbox_enqueue

    from .tasks import deadlines_recompute_year

    outbox_enqueue(deadlines_recompute_year, year)
