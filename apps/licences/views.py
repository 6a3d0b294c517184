from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from apps.documents.services import document_render

from . import selectors
from .models import Licence


@login_required
def mine(request):
    """我的证照: the licences held under the account's ID number or credit code, with their state today."""
    licences = list(selectors.licences_of_holder(user=request.user))
    return render(request, "licences/mine.html", {"licences": licences})


@never_cache
@login_required
def pdf(request, pk):
    try:
        licence = selectors.licence_get_for_user(user=request.user, pk=pk)
    except Licence.DoesNotExist:
        raise Http404 from None
    if licence.document is None:
        raise Http404
    document = licence.document if licence.document.file else document_render(document_id=licence.document_id)
    return FileResponse(document.file.open("rb"), content_type="application/pdf",
                        filename=f"{licence.kind.name}-{licence.number}.pdf")
