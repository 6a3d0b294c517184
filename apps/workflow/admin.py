from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.utils.translation import gettext_lazy as _

from .models import TimelineEntry


class TimelineInline(GenericTabularInline):
    """The case's history on its admin page. Read-only: nobody, superusers included, edits or deletes an entry."""

    model = TimelineEntry
    ct_field = "content_type"
    ct_fk_field = "object_id"
    extra = 0
    can_delete = False
    fields = ("created_at", "actor", "public_label", "from_state", "to_state", "comment", "internal_note")
    readonly_fields = fields
    ordering = ("created_at", "id")
    verbose_name_plural = _("timeline")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")
