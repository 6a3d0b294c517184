"""Production: PostgreSQL (DATABASE_URL), Redis (CELERY_BROKER_URL), gunicorn behind a TLS-terminating proxy."""
import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import SECRET_KEY, env_bool

if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")

# The public address of the portal: printed into every PDF's QR code and every e-mail link, and kept there for good.
# No default in production (the base default is a loopback address); `check --deploy` also refuses a loopback or
# plain-http value (apps.core.checks).
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "").strip().rstrip("/")
if not PORTAL_BASE_URL:
    raise ImproperlyConfigured("PORTAL_BASE_URL must be set in production: the portal's public https:// address "
                               "(e.g. https://zwfw.example.gov.cn). It is printed into PDF QR codes and e-mail links.")

DEBUG = False
# 实名核验 online (ADR 0011): the national identity service's adapter, or none (verified at a service window only).
IDENTITY_CHECK_BACKEND = os.environ.get("IDENTITY_CHECK_BACKEND", "")
# gunicorn listens on 127.0.0.1 behind one TLS-terminating proxy (README § Production): the client is the last entry
# of X-Forwarded-For (apps/core/client_ip.py).
PORTAL_TRUSTED_PROXY_COUNT = int(os.environ.get("PORTAL_TRUSTED_PROXY_COUNT", "1"))
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
