"""Deploy checks (``manage.py check --deploy``) for what the limits need in production."""
from django.conf import settings
from django.core import checks

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
