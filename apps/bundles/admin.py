from django.contrib import admin

from .models import Bundle, BundleItem


class BundleItemInline(admin.TabularInline):
    model = BundleItem
    fk_name = "bundle"
    extra = 1
    autocomplete_fields = ("service",)
    fields = ("order", "service", "needs")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "needs":
            # An item waits for another item of the same bundle (BundleItem.clean checks it comes earlier).
            bundle_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = BundleItem.objects.filter(bundle_id=bundle_id).select_related("service") \
                if bundle_id else BundleItem.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Bundle)
class BundleAdmin(admin.ModelAdmin):
    """一件事 declarations: the city's service-centre administrators (superusers) keep them; clerks only see the
    bundle reference on each item's application."""

    list_display = ("name", "code", "audience", "lead_department", "is_active")
    list_select_related = ("lead_department",)
    list_filter = ("is_active", "audience")
    search_fields = ("name", "code__exact")
    filter_horizontal = ("life_events",)
    inlines = (BundleItemInline,)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    has_change_permission = has_add_permission = has_delete_permission = has_view_permission
