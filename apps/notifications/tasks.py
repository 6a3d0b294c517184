from celery import shared_task

from . import services


@shared_task
def notifications_deliver(ids: list[int]) -> None:
    services.notifications_deliver_now(ids=ids)
