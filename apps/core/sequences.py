"""Per-day counters for reference numbers (a model with ``day`` unique and ``last``)."""
from django.utils import timezone


def day_sequence_next(model, now):
    """The local day of ``now`` and the next number of that day, taken under a row lock: the caller's transaction
    holds it until commit, so two submissions never share a number."""
    day = timezone.localtime(now).date()
    model.objects.get_or_create(day=day)
    sequence = model.objects.select_for_update().get(day=day)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return day, sequence.last
