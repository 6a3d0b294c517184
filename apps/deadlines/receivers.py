def on_calendar_year_changed(sender, year, **kwargs):
    """An official year was entered: recompute the provisional deadlines (in batches, in the worker)."""
    from .tasks import deadlines_recompute_provisional

    deadlines_recompute_provisional.delay()
