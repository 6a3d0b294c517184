import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _


_private = FileSystemStorage()


def private_storage():
    """Files under MEDIA_ROOT (= PRIVATE_MEDIA_ROOT), which no URL serves: they go out only through access-checked
    views. A callable, so that migrations name it instead of freezing this machine's path; with no explicit location
    the storage follows MEDIA_ROOT when settings change."""
    return _private


def _stored_name(instance, filename):
    # The original name is only a label; what is stored is generated and says nothing about the applicant.
    return f"attachments/{instance.uploaded_at:%Y/%m}/{instance.pk.hex}.{instance.extension}"


def _thumb_name(instance, filename):
    return f"attachments/{instance.uploaded_at:%Y/%m}/{instance.pk.hex}.thumb.jpg"


class Attachment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    case = GenericForeignKey("content_type", "object_id")
    purpose = models.CharField(_("purpose"), max_length=64, blank=True,
                               help_text=_("Which material or step this file belongs to."))
    file = models.FileField(storage=private_storage, upload_to=_stored_name, max_length=200)
    thumbnail = models.FileField(storage=private_storage, upload_to=_thumb_name, max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    mime = models.CharField(_("type"), max_length=64)
    extension = models.CharField(max_length=8)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"))
    timeline_entry = models.ForeignKey("workflow.TimelineEntry", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="attachments")

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["content_type", "object_id", "purpose"])]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self):
        return self.mime in ("image/jpeg", "image/png")
