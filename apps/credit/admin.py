from django.contrib import admin

from apps.core.admin_mixins import HiddenOutsideQuerysetMixin, ReadOnlyAdminMixin

from .models import DishonestyRecord


@admin.register(DishonestyRecord)
class DishonestyRecordAdmin(HiddenOutsideQuerysetMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """失信记录, read-only: written by the decisions that keep them (a showcase revoked, a commitment found false).
    Visible to superusers and the departments that recorded them."""

    list_display = ("subject_name", "subject_code", "source", "listed_on", "department", "recorded_at")
    list_select_related = ("department",)
    search_fields = ("subject_code__exact",)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(department_id=request.user.department_id) if request.user.department_id else qs.none()
