from celery import shared_task

from . import services


@shared_task
def document_render(document_id: int) -> None:
    services.document_render(document_id=document_id)
