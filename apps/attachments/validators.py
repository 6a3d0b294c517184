"""Uploads are judged by their content, never by their name or the browser's Content-Type."""
import io
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ALLOWED = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/ofd": "ofd",  # GB/T 33190 electronic documents (电子证照): a ZIP holding OFD.xml
}
IMAGE_TYPES = {"image/jpeg", "image/png"}


@dataclass(frozen=True)
class Detected:
    mime: str
    extension: str


def _is_ofd(head: bytes, upload) -> bool:
    if not head.startswith(b"PK\x03\x04"):
        return False
    upload.seek(0)
    try:
        with zipfile.ZipFile(io.BytesIO(upload.read())) as archive:
            return "OFD.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)


VIDEO_TYPES = {"video/mp4": "mp4", "video/webm": "webm"}
IMAGES_ONLY = {"image/jpeg": "jpg", "image/png": "png"}


def detect_and_validate(upload, *, allowed: dict | None = None, max_bytes: int | None = None,
                        type_message: str | None = None) -> Detected:
    """Raise a ValidationError in the user's language unless ``upload`` is an allowed kind within the size limit.

    ``allowed`` (MIME type → extension) narrows or changes the kinds, e.g. images only, or short videos;
    ``type_message`` then says what was expected, with ``%(name)s`` for the file's name."""
    allowed = allowed or ALLOWED
    limit = max_bytes or settings.ATTACHMENT_MAX_BYTES
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": upload.name}, code="empty")
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
            % {"name": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime == "application/zip" or (mime is None and head.startswith(b"PK")):
        mime = "application/ofd" if _is_ofd(head, upload) else "application/zip"
    if mime not in allowed:
        message = type_message or _("“%(name)s” is not a PDF, JPEG, PNG or OFD file (judged by its content, not its "
                                    "name). Scan or save it in one of these formats and upload it again.")
        raise ValidationError(message % {"name": upload.name}, code="type")
    if mime in IMAGE_TYPES:
        from PIL import Image

        try:
            with Image.open(upload) as image:
                image.verify()
        except Exception:  # noqa: BLE001 - any decoding failure means a damaged image
            raise ValidationError(_("“%(name)s” is a damaged image.") % {"name": upload.name}, code="damaged") from None
        finally:
            upload.seek(0)
    return Detected(mime, allowed[mime])
