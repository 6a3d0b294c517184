from django.http import FileResponse, Http404
from django.views.decorators.cache import never_cache

from .models import Attachment
from .selectors import attachment_get_for_user


@never_cache
def download(request, pk):
    try:
        attachment = attachment_get_for_user(user=request.user, pk=pk)
    except Attachment.DoesNotExist:
        raise Http404 from None
    if request.GET.get("thumb") and attachment.thumbnail:
        return FileResponse(attachment.thumbnail.open("rb"), content_type="image/jpeg")
    inline = attachment.mime in ("application/pdf", "image/jpeg", "image/png")
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.mime, as_attachment=not inline,
                            filename=attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    return response
