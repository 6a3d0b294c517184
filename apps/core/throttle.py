"""Limits on what a stranger can repeat (CONVENTIONS 18, issue 14), counted by django-ratelimit on the shared cache
(``CACHES["default"]``: Redis in production, a file cache shared by web and worker under ``make run``).

A view names its limits — a rate from ``settings.THROTTLE_RATES`` and what is counted (the client's address, the
reference typed…) — and calls ``throttle`` before the work; a request over any limit gets the 429 page with
``Retry-After`` and nothing else: no lookup, no e-mail, no account. See docs/security.md for the numbers."""
from dataclasses import dataclass

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage

from .client_ip import client_ip


@dataclass(frozen=True)
class Limit:
    name: str  # key of settings.THROTTLE_RATES, also the counter's group
    value: str  # what is counted: an address, a reference, an e-mail address, an API key

    @classmethod
    def per_address(cls, name: str, request) -> "Limit":
        return cls(name, client_ip(request))


def throttle_exceeded(request, *limits: Limit) -> int | None:
    """Count this request against every limit; the seconds until the tightest one exceeded frees up, or None."""
    waits = []
    for limit in limits:
        rate = settings.THROTTLE_RATES.get(limit.name)
        if not rate or not limit.value:
            continue
        usage = get_usage(request, group=f"throttle:{limit.name}", key=lambda _group, _request, v=limit.value: v,
                          rate=rate, increment=True)
        if usage is not None and usage["should_limit"]:
            waits.append(max(usage["time_left"], 1))
    return max(waits) if waits else None


def throttled_response(request, retry_after: int, *, template: str = "429.html"):
    minutes = max(1, -(-retry_after // 60))
    response = render(request, template, {"minutes": minutes}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def throttle(request, *limits: Limit):
    """The 429 page when the request is over a limit, else None (the view goes on)."""
    retry_after = throttle_exceeded(request, *limits)
    return None if retry_after is None else throttled_response(request, retry_after)
