from django.conf import settings
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat


class RequestBodyLimitMiddleware:
    """A request that declares a body larger than REQUEST_BODY_MAX_BYTES is answered 413 with a plain page before
    anything reads it (Django's own DATA_UPLOAD_MAX_MEMORY_SIZE leaves out files, so without this a multipart body of
    any size would be spooled to disk). A body sent without a length is not read by Django at all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_BODY_MAX_BYTES:
            # The unread body stays in the connection: close it rather than let the server parse it as a request.
            response = render(request, "413.html", {"limit": filesizeformat(settings.REQUEST_BODY_MAX_BYTES)},
                              status=413)
            response["Connection"] = "close"
            return response
        return self.get_response(request)


class RejectNulBytesMiddleware:
    """A NUL character in the path, the query or a form field is never legitimate, and PostgreSQL refuses it in text
    (which would surface as a 500): answer 400 with a plain explanation instead.

    The form is inspected in ``process_view`` and the middleware is listed after CsrfViewMiddleware, so a body is
    parsed only once the CSRF check has passed, by Django with its limits (an oversized or malformed one becomes
    Django's 400/413, see apps.core.views.error_400)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return render(request, "400.html", status=400)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or not request.content_type or "form" not in request.content_type:
            return None
        if any("\x00" in value for values in request.POST.lists() for value in values[1]):
            return render(request, "400.html", status=400)
        return None
