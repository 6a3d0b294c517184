from django.contrib import admin

from apps.core.admin_mixins import ReadOnlyAdminMixin

from .models import DishonestyRecord


@admin.register(DishonestyRecord)
class DishonestyRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """失信记录, read-only: written by the decisions that keep them (a showcase revoked, a commitment found false).
    Visible to superusers and the departments that recorded them."""

    list_display = ("subject_name", "subject_code", "source", "listed_on", "department", "recorded_at")
    list_select_related = ("department",)
    search_fields = ("subject_code__exact",)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        from django.contrib.admin.utils import unquote
        from django.http import Http404

        if self.get_object(request, unquote(object_id)) is None:
            raise Http404  # another department's record is not confirmed to exist (CONVENTIONS 4)
        return super().change_view(request, object_id, form_url, extra_context)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(department_id=request.user.department_id) if request.user.department_id else qs.none()
