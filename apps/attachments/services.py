import hashlib
import io
import os

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .models import Attachment
from .validators import IMAGE_TYPES, detect_and_validate

THUMBNAIL_SIZE = (320, 320)


def _thumbnail(upload) -> bytes:
    """A small JPEG. A JPEG is decoded at a reduced scale (``draft``: libjpeg decodes 1/2, 1/4 or 1/8 of it), and the
    rotation from its EXIF data is applied to the thumbnail, not to the full image, so a large photo is never decoded
    in full; a PNG, which cannot be drafted, is bounded by the pixel limit checked before (validators.image_check)."""
    from PIL import Image, ImageFile, ImageOps

    upload.seek(0)
    # WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process when it is imported (a PDF rendered in
    # this process): a photo cut off in transfer must still be refused here.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    with Image.open(upload) as image:
        image.draft("RGB" if image.mode not in ("L", "1") else image.mode, THUMBNAIL_SIZE)
        image.thumbnail(THUMBNAIL_SIZE)
        image = ImageOps.exif_transpose(image)
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, "JPEG", quality=82)
    upload.seek(0)
    return out.getvalue()


def _thumbnail_or_refuse(upload) -> bytes:
    from PIL import Image
    from django.utils.translation import gettext as _

    try:
        return _thumbnail(upload)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        upload.seek(0)
        raise ValidationError(_("“%(name)s” is an incomplete or damaged image. Take or choose the photo again.")
                              % {"name": os.path.basename(upload.name)}, code="damaged_image") from None


def _without_metadata(upload, mime: str):
    """The photo as others will see it: turned upright, re-encoded without its EXIF (GPS position, device, time) —
    a reporter's photo reaches the handling department and a result photo the reporter (review finding, issue 17).
    Called after the content and pixel checks. An image that cannot be decoded is left for the thumbnail's refusal."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageOps

    try:
        upload.seek(0)
        with Image.open(upload) as image:
            upright = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if mime == "image/jpeg":
                upright.convert("RGB").save(out, "JPEG", quality=90, optimize=True)
            else:
                upright.save(out, "PNG", optimize=True)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        upload.seek(0)
        return upload
    return SimpleUploadedFile(upload.name, out.getvalue(), content_type=mime)


def _files_delete_on_commit(names: set[str]) -> None:
    """Delete stored files once the transaction that removed their rows commits, keeping any file another row still
    names (an honor update shares its files with the published application it copies)."""
    names = {name for name in names if name}
    if not names:
        return

    def delete():
        still_used = set(Attachment.objects.filter(file__in=names).values_list("file", flat=True))
        still_used |= set(Attachment.objects.filter(thumbnail__in=names).values_list("thumbnail", flat=True))
        storage = Attachment._meta.get_field("file").storage
        for name in names - still_used:
            storage.delete(name)

    transaction.on_commit(delete)


def attachments_delete(*, attachments) -> None:
    """Remove attachment rows (files that were replaced or whose item was removed), their files after commit."""
    attachments = list(attachments)
    if not attachments:
        return
    names = {a.file.name for a in attachments} | {a.thumbnail.name for a in attachments if a.thumbnail}
    Attachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()
    _files_delete_on_commit(names)


def _quota_check(*, obj, upload, replaces) -> None:
    """A case holds at most CASE_MAX_FILES files and CASE_MAX_BYTES in all (the files replaced not counted)."""
    from django.conf import settings
    from django.db.models import Count, Sum
    from django.template.defaultfilters import filesizeformat
    from django.utils.translation import gettext as _

    held = (Attachment.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
            .exclude(pk__in=[a.pk for a in replaces]).aggregate(n=Count("pk"), size=Sum("size")))
    if held["n"] + 1 > settings.CASE_MAX_FILES:
        raise ValidationError(_("This case already holds %(n)d files, the most it may hold. Remove or replace a file "
                                "first.") % {"n": held["n"]}, code="quota_files")
    if (held["size"] or 0) + upload.size > settings.CASE_MAX_BYTES:
        raise ValidationError(_("The files of this case would take more than %(max)s in all. Upload smaller files or "
                                "remove one first.") % {"max": filesizeformat(settings.CASE_MAX_BYTES)},
                              code="quota_bytes")


@transaction.atomic
def attachment_create(*, obj, upload, actor, purpose: str = "", timeline_entry=None, allowed: dict | None = None,
                      max_bytes: int | None = None, type_message: str | None = None, replaces=(),
                      strip_metadata: bool = False) -> Attachment:
    """Validate ``upload`` by content and store it privately under a generated name. Raises ValidationError.
    ``allowed``, ``max_bytes`` and ``type_message`` narrow the accepted kinds (see validators.detect_and_validate).
    ``replaces``: earlier attachments this one supersedes; their rows go in the same transaction, their files after
    commit. The case's quota (``_quota_check``) counts what it holds without them. Callers lock ``obj`` first."""
    replaces = list(replaces)
    detected = detect_and_validate(upload, allowed=allowed, max_bytes=max_bytes, type_message=type_message)
    if strip_metadata and detected.mime in IMAGE_TYPES:
        upload = _without_metadata(upload, detected.mime)
    _quota_check(obj=obj, upload=upload, replaces=replaces)
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
    # The thumbnail first: an image that cannot be decoded (a photo cut off in transfer) is refused before anything
    # is written, rather than a 500 that leaves the file on disk outside the case's quota.
    thumbnail = _thumbnail_or_refuse(upload) if detected.mime in IMAGE_TYPES else None
    attachment.file.save("upload", upload, save=False)
    if thumbnail is not None:
        attachment.thumbnail.save("thumb", ContentFile(thumbnail), save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        if attachment.thumbnail:
            attachment.thumbnail.delete(save=False)
        raise
    attachments_delete(attachments=replaces)  # their files stay on disk if the caller's transaction rolls back
    return attachment


def image_attachment_create(*, obj, upload, actor, purpose: str = "") -> Attachment:
    """A photo: JPEG or PNG only (judged by content), with its thumbnail. Raises ValidationError."""
    from django.utils.translation import gettext as _

    from .validators import IMAGES_ONLY

    return attachment_create(obj=obj, upload=upload, actor=actor, purpose=purpose, allowed=IMAGES_ONLY,
                             type_message=_("“%(name)s” is not a JPEG or PNG image."), strip_metadata=True)
