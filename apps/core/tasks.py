from celery import shared_task


@shared_task
def sessions_clear() -> None:
    """Beat (CELERY_BEAT_SCHEDULE "sessions-clear"): delete expired sessions, as `manage.py clearsessions` does. The
    database session backend never removes a row by itself, so without this the table grows with every visitor."""
    from importlib import import_module

    from django.conf import settings

    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
