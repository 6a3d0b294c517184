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


# Letters and digits nobody confuses when reading a reference aloud or typing it (no 0/O, 1/I/L).
_UNAMBIGUOUS = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def reference_tail(length: int = 4) -> str:
    """A random tail for a reference a stranger may type (the public lookups): with it the next reference cannot be
    guessed from the last one (31⁴ ≈ 920,000 tails per number), whatever the lookup's other checks and throttles."""
    import secrets

    return "".join(secrets.choice(_UNAMBIGUOUS) for _ in range(length))
