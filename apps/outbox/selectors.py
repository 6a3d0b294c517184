from django.utils import timezone

from .models import OutboxTask


def outbox_backlog() -> dict:
    """What waits to be handed to the broker: how many, and how long the oldest has waited (for /healthz)."""
    pending = OutboxTask.objects.filter(sent_at__isnull=True)
    oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
    return {"pending": pending.count(),
            "oldest_seconds": int((timezone.now() - oldest).total_seconds()) if oldest else 0}
