import hashlib
import io
import os

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .models import Attachment
from .validators import IMAGE_TYPES, detect_and_validate

THUMBNAIL_SIZE = (320, 320)


def _thumbnail(upload) -> bytes:
    from PIL import Image, ImageOps

    upload.seek(0)
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail(THUMBNAIL_SIZE)
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, "JPEG", quality=82)
    upload.seek(0)
    return out.getvalue()


@transaction.atomic
def attachment_create(*, obj, upload, actor, purpose: str = "", timeline_entry=None, allowed: dict | None = None,
                      max_bytes: int | None = None, type_message: str | None = None) -> Attachment:
    """Validate ``upload`` by content and store it privately under a generated name. Raises ValidationError.
    ``allowed``, ``max_bytes`` and ``type_message`` narrow the accepted kinds (see validators.detect_and_validate)."""
    detected = detect_and_validate(upload, allowed=allowed, max_bytes=max_bytes, type_message=type_message)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk), purpose=purpose,
        original_name=os.path.basename(upload.name)[:255], mime=detected.mime, extension=detected.extension,
        size=upload.size, sha256=digest.hexdigest(), uploaded_by=actor if getattr(actor, "pk", None) else None,
        uploaded_at=timezone.now(), timeline_entry=timeline_entry,
    )
    attachment.file.save("upload", upload, save=False)
    if detected.mime in IMAGE_TYPES:
        attachment.thumbnail.save("thumb", ContentFile(_thumbnail(upload)), save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        if attachment.thumbnail:
            attachment.thumbnail.delete(save=False)
        raise
    return attachment


def image_attachment_create(*, obj, upload, actor, purpose: str = "") -> Attachment:
    """A photo: JPEG or PNG only (judged by content), with its thumbnail. Raises ValidationError."""
    from django.utils.translation import gettext as _

    from .validators import IMAGES_ONLY

    return attachment_create(obj=obj, upload=upload, actor=actor, purpose=purpose, allowed=IMAGES_ONLY,
                             type_message=_("“%(name)s” is not a JPEG or PNG image."))
