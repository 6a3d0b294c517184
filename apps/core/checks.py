"""Deploy checks (`manage.py check --deploy`) for the settings the README's production section calls required,
and for what the throttles need (a shared cache)."""
import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.checks import Error, Tags, register

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}


def _is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host in _LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


@register(Tags.security, deploy=True)
def check_portal_base_url(app_configs, **kwargs):
    url = getattr(settings, "PORTAL_BASE_URL", "") or ""
    parts = urlsplit(url)
    problems = []
    if parts.scheme != "https":
        problems.append("it does not start with https://")
    if _is_loopback(parts.hostname or ""):
        problems.append("it names this machine (a loopback address), which no citizen can reach")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        problems.append("it has a path, query or fragment; give only the scheme and host")
    if not problems:
        return []
    return [Error(f"PORTAL_BASE_URL is {url!r}: " + "; ".join(problems) + ".",
                  hint="Set PORTAL_BASE_URL to the portal's public address, e.g. https://zwfw.example.gov.cn. It is "
                       "printed into every PDF's QR code and e-mail link.", id="portal.E001")]


@register(Tags.security, deploy=True)
def check_allowed_hosts(app_configs, **kwargs):
    hosts = list(settings.ALLOWED_HOSTS)
    if not hosts or "*" in hosts or all(_is_loopback(host.lstrip(".")) for host in hosts):
        return [Error(f"ALLOWED_HOSTS is {hosts!r}.", hint="Set DJANGO_ALLOWED_HOSTS to the portal's public host "
                      "name(s), comma-separated.", id="portal.E002")]
    return []


@register(Tags.security, deploy=True)
def check_identity_backend(app_configs, **kwargs):
    """ADR 0011: the demo's stand-in for the national identity service answers yes to anyone."""
    if getattr(settings, "IDENTITY_CHECK_BACKEND", "") == "apps.accounts.identity.DemoIdentityCheck":
        return [Error("IDENTITY_CHECK_BACKEND is the demo's stand-in, which verifies anyone.",
                      hint="Set IDENTITY_CHECK_BACKEND to the adapter of the national identity service, or to an "
                      "empty value (identity verified at a service window only).", id="portal.E005")]
    return []


@register(Tags.database, deploy=True)
def check_database(app_configs, **kwargs):
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return [Error("The database is SQLite.", hint="Set DATABASE_URL to PostgreSQL, e.g. "
                      "postgres://user:pass@host:5432/portal.", id="portal.E003")]
    return []


@register(deploy=True)
def check_broker(app_configs, **kwargs):
    url = getattr(settings, "CELERY_BROKER_URL", "") or ""
    if url.split(":", 1)[0] in ("filesystem", "memory", ""):
        return [Error(f"CELERY_BROKER_URL is {url!r}: a broker for one machine or one process.",
                      hint="Set CELERY_BROKER_URL to Redis, e.g. redis://host:6379/0.", id="portal.E004")]
    return []


SHARED_ATOMIC_CACHES = ("django.core.cache.backends.redis.RedisCache", "django_redis.cache.RedisCache")


@checks.register(checks.Tags.caches, deploy=True)
def throttle_cache_check(app_configs, **kwargs):
    """The throttles count on the default cache: in production it must be Redis (shared by every process, atomic
    increments); set REDIS_URL or CACHE_URL."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in SHARED_ATOMIC_CACHES:
        return []
    return [checks.Warning(
        f"The default cache is {backend}: the throttles' counters are not shared atomically between processes.",
        hint="Set REDIS_URL (or CACHE_URL) to a Redis server, e.g. redis://127.0.0.1:6379/1 (docs/security.md).",
        id="portal.W001")]
