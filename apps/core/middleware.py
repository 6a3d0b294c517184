from django.shortcuts import render


class RejectNulBytesMiddleware:
    """A NUL character in the path, the query or a form field is never legitimate, and PostgreSQL refuses it in text
    (which would surface as a 500): answer 400 with a plain explanation instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", "") or self._form_has_nul(request):
            return render(request, "400.html", status=400)
        return self.get_response(request)

    @staticmethod
    def _form_has_nul(request):
        if request.method != "POST" or not request.content_type or "form" not in request.content_type:
            return False
        try:
            return any("\x00" in value for values in request.POST.lists() for value in values[1])
        except Exception:  # noqa: BLE001 - a malformed body is Django's to answer
            return False
