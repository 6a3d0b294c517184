"""The client's address, the same for every limit (django-axes, django-ratelimit): behind the documented
TLS-terminating proxy ``REMOTE_ADDR`` is the proxy's, so every client would share one counter and one lockout.

``PORTAL_TRUSTED_PROXY_COUNT`` says how many proxies of ours stand in front of gunicorn (production: 1). Each appends
the address it received the request from to ``X-Forwarded-For``, so the client is the entry that many places from
the right; anything to its left was written by the client and is never believed. With 0 (development, tests, a
server reached directly) the header is ignored altogether."""
import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"
    count = getattr(settings, "PORTAL_TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote  # the proxy did not add its entry: misconfigured, never trust what the client wrote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
