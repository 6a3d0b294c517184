"""Uploads are judged by their content, never by their name or the browser's Content-Type."""
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


def archive_check(archive: zipfile.ZipFile, *, name: str, compressed_size: int) -> None:
    """Refuse a ZIP (an OFD file, an xlsx workbook) from its central directory alone, before anything is extracted:
    too many entries, too much once expanded, or expanding far more than documents do (a "zip bomb")."""
    entries = archive.infolist()
    if len(entries) > settings.ARCHIVE_MAX_ENTRIES:
        raise ValidationError(_("“%(name)s” holds %(count)d files; at most %(max)d are accepted.")
                              % {"name": name, "count": len(entries), "max": settings.ARCHIVE_MAX_ENTRIES},
                              code="archive_entries")
    expanded = sum(entry.file_size for entry in entries)
    if expanded > settings.ARCHIVE_MAX_UNCOMPRESSED_BYTES:
        raise ValidationError(_("“%(name)s” would expand to %(size)s; at most %(max)s is accepted.")
                              % {"name": name, "size": filesizeformat(expanded),
                                 "max": filesizeformat(settings.ARCHIVE_MAX_UNCOMPRESSED_BYTES)},
                              code="archive_size")
    # Ratio per entry (and over the whole file), above a megabyte: small entries may compress well without harm.
    if any(entry.file_size > 1024 * 1024 and entry.file_size > max(entry.compress_size, 1) * settings.ARCHIVE_MAX_RATIO
           for entry in entries) or (expanded > 1024 * 1024
                                     and expanded > max(compressed_size, 1) * settings.ARCHIVE_MAX_RATIO):
        raise ValidationError(_("“%(name)s” is compressed far more than documents are (it would expand to %(size)s); "
                                "it is refused as a possible attack. Save the document again and upload it.")
                              % {"name": name, "size": filesizeformat(expanded)}, code="archive_ratio")


def _is_ofd(head: bytes, upload) -> bool:
    """Whether a ZIP is an OFD document; reads only its central directory (the upload itself, not a copy in memory)
    and refuses an archive beyond the limits (``archive_check``)."""
    if not head.startswith(b"PK\x03\x04"):
        return False
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            if "OFD.xml" not in archive.namelist():
                return False
            archive_check(archive, name=upload.name, compressed_size=upload.size)
            return True
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)


def image_check(image, *, name: str) -> None:
    """Refuse an image from its header (``Image.open`` reads only that): more pixels or a longer side than the limits
    would take hundreds of megabytes to decode, whatever the file's size."""
    width, height = image.size
    if width * height > settings.IMAGE_MAX_PIXELS or max(width, height) > settings.IMAGE_MAX_SIDE:
        raise ValidationError(
            _("“%(name)s” is %(width)d × %(height)d pixels; images may have at most %(megapixels)s million pixels and "
              "%(side)d pixels on a side. Reduce its size and upload it again.")
            % {"name": name, "width": width, "height": height,
               "megapixels": f"{settings.IMAGE_MAX_PIXELS / 1_000_000:g}", "side": settings.IMAGE_MAX_SIDE},
            code="image_too_large")
    # Pixels are not all: a 16-bit RGBA PNG of 6,300 × 6,300 (300 KB as a file) decodes to 320 MB and took a worker
    # from 200 MB to 440 MB. Bound what the decoder holds: channels × bytes per channel × pixels.
    rawmode = image.tile[0][3] if getattr(image, "tile", None) and len(image.tile[0]) > 3 else ""
    depth = 2 if isinstance(rawmode, str) and ";16" in rawmode else 1
    decoded = width * height * len(image.getbands()) * depth
    if decoded > settings.IMAGE_MAX_DECODED_BYTES:
        raise ValidationError(
            _("“%(name)s” would take %(size)s of memory to open (%(width)d × %(height)d pixels, %(bits)d bits per "
              "channel). Save it smaller or as an ordinary 8-bit JPEG or PNG and upload it again.")
            % {"name": name, "size": filesizeformat(decoded), "width": width, "height": height, "bits": 8 * depth},
            code="image_too_deep")


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
            with Image.open(upload) as image:  # lazy: reads the header, decodes nothing
                image_check(image, name=upload.name)
                image.verify()
        except ValidationError:
            raise
        except Image.DecompressionBombError:
            # Pillow's own bound (Image.MAX_IMAGE_PIXELS, set from IMAGE_MAX_PIXELS in apps.py) refuses an image of
            # more than twice the limit as soon as it reads the header, before it tells its dimensions.
            raise ValidationError(
                _("“%(name)s” has far more pixels than images may have (at most %(megapixels)s million pixels and "
                  "%(side)d pixels on a side). Reduce its size and upload it again.")
                % {"name": upload.name, "megapixels": f"{settings.IMAGE_MAX_PIXELS / 1_000_000:g}",
                   "side": settings.IMAGE_MAX_SIDE}, code="image_too_large") from None
        except Exception:  # noqa: BLE001 - any decoding failure means a damaged image (or one Pillow calls a bomb)
            raise ValidationError(_("“%(name)s” is a damaged image.") % {"name": upload.name}, code="damaged") from None
        finally:
            upload.seek(0)
    return Detected(mime, allowed[mime])
