from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from . import services
from .models import Document
from .selectors import document_get_for_user, document_verify


@never_cache
def download(request, token):
    try:
        document = document_get_for_user(user=request.user, token=token)
    except Document.DoesNotExist:
        raise Http404 from None
    if not document.file:
        document = services.document_render(document_id=document.pk)  # the worker has not got to it yet
    return FileResponse(document.file.open("rb"), content_type="application/pdf",
                        filename=f"{document.title}-{document.number}.pdf")


def verify(request, code=None):
    if code is None and request.GET.get("code"):
        # A code is letters and digits; whatever else was typed (spaces, a slash) is dropped, not turned into a URL.
        typed = "".join(c for c in request.GET["code"].upper() if c.isascii() and c.isalnum())[:32]
        if typed:
            return redirect("documents:verify", code=typed)
    result = document_verify(code=code) if code else None
    status = 404 if code and result is None else 200
    return render(request, "documents/verify.html", {"code": code or "", "result": result}, status=status)
