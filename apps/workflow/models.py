from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import EntryKind


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("timeline entries are append-only")

    def delete(self):
        raise PermissionDenied("timeline entries are append-only")


class TimelineEntry(models.Model):
    """One line of a case's history. Append-only: the model, its queryset and a database trigger refuse changes."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    case = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    actor_is_owner = models.BooleanField(default=False)
    transition = models.CharField(_("transition"), max_length=64, blank=True)
    from_state = models.CharField(_("from state"), max_length=32, blank=True)
    to_state = models.CharField(_("to state"), max_length=32, blank=True)
    public_label = models.CharField(_("public label"), max_length=200, blank=True)
    comment = models.TextField(_("comment"), blank=True, help_text=_("Shown to the applicant."))
    internal_note = models.TextField(_("internal note"), blank=True, help_text=_("Staff only."))
    data = models.JSONField(_("data"), default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self):
        from apps.core.i18n import stored_text  # the label in the reader's language

        label = stored_text(self.public_label) or self.transition or self.kind
        return f"{timezone.localtime(self.created_at):%Y-%m-%d %H:%M} {label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("timeline entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("timeline entries are append-only")
