"""Local development and `make run`: SQLite, filesystem broker, console e-mail. DEBUG stays off unless DJANGO_DEBUG=1."""
from .base import *  # noqa: F401,F403
from .base import SECRET_KEY as _SECRET_KEY

SECRET_KEY = _SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production-8c1f"
# Serve static files straight from the source folders: no collectstatic needed for `make run`.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
