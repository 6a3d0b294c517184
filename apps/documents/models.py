import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.attachments.models import private_storage


class DocumentSequence(models.Model):
    """The last number issued per kind and year; locked while a number is taken, so numbers have no gaps."""

    kind = models.CharField(max_length=64)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="document_sequence_kind_year")]


class Document(models.Model):
    """An issued PDF notice or opinion. Its content is fixed when issued and its PDF rendered once, then kept."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    case = GenericForeignKey("content_type", "object_id")
    # What download URLs carry instead of the sequential id (issue 14): a URL seen once says nothing of the others.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField()
    seq = models.PositiveIntegerField()
    number = models.CharField(_("document number"), max_length=64, unique=True)
    verification_code = models.CharField(_("verification code"), max_length=16, unique=True)
    issued_on = models.DateField(_("date"))
    issuing_department = models.ForeignKey("organizations.Department", verbose_name=_("issued by"),
                                           on_delete=models.PROTECT, related_name="+")
    context = models.JSONField(default=dict)
    file = models.FileField(storage=private_storage, upload_to="documents/", max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [models.UniqueConstraint(fields=["kind", "year", "seq"], name="document_kind_year_seq")]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.title} {self.number}"
