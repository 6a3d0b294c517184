from celery import shared_task

from . import services


@shared_task
def outbox_relay() -> int:
    """Beat: hand to the broker what the committing processes could not (the broker was down)."""
    return services.outbox_relay()
