from celery import shared_task

from . import services


@shared_task
def version_files_render(version_id: int) -> None:
    """The xlsx and PDF of a newly published version, written once."""
    services.version_xlsx_render(version_id=version_id)
    services.version_pdf_render(version_id=version_id)


@shared_task
def version_pdf_render(version_id: int) -> None:
    services.version_pdf_render(version_id=version_id)
