from django.conf import settings
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .context_processors import LARGE_TEXT_COOKIE


def home(request):
    return render(request, "core/home.html")


def _safe_next(request):
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    return target


@require_POST
def large_text_toggle(request):
    """适老化: a large-text mode kept in a cookie, so it works before login and needs no JavaScript."""
    response = HttpResponseRedirect(_safe_next(request))
    if request.COOKIES.get(LARGE_TEXT_COOKIE) == "1":
        response.delete_cookie(LARGE_TEXT_COOKIE)
    else:
        response.set_cookie(LARGE_TEXT_COOKIE, "1", max_age=60 * 60 * 24 * 365, samesite="Lax", httponly=True,
                            secure=request.is_secure())
    return response


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_broker():
    from portal.celery import app

    with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, timeout=settings.HEALTHZ_BROKER_TIMEOUT)
        if settings.CELERY_BROKER_URL.startswith("filesystem://") and not settings.CELERY_BROKER_FOLDER.is_dir():
            raise OSError("broker folder is missing")


@never_cache
def healthz(request):
    checks = {}
    for name, check in (("database", _check_database), ("broker", _check_broker)):
        try:
            check()
            checks[name] = "ok"
        except Exception as error:  # noqa: BLE001 - any failure of the part is reported by name
            checks[name] = f"error: {error.__class__.__name__}"
    healthy = all(value == "ok" for value in checks.values())
    # Work recorded after commits and not yet handed to the broker (the relay sends it when the broker is back): a
    # backlog that only grows, or an old one, is what an operator's monitor should alert on.
    from apps.outbox.selectors import outbox_backlog

    backlog = outbox_backlog() if checks["database"] == "ok" else None
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks, "backlog": backlog},
                        status=200 if healthy else 503)


def error_400(request, exception=None):
    """Django's answer to a body beyond its limits or a malformed one: say which, plainly (never a CSRF page or a 500)."""
    from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
    from django.template.defaultfilters import filesizeformat

    if isinstance(exception, RequestDataTooBig):
        return render(request, "413.html", {"limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
                                            "form_fields": True}, status=413)
    if isinstance(exception, TooManyFilesSent):
        return render(request, "400.html", {"too_many_files": settings.DATA_UPLOAD_MAX_NUMBER_FILES}, status=400)
    if isinstance(exception, TooManyFieldsSent):
        return render(request, "400.html", {"too_many_fields": True}, status=400)
    return render(request, "400.html", status=400)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_500(request):
    return render(request, "500.html", status=500)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
