from celery import shared_task

from . import services


@shared_task
def version_pdf_render(version_id: int) -> None:
    services.version_pdf_render(version_id=version_id)
