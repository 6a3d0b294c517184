import json

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.admin_mixins import DepartmentScopedAdminMixin, ReadOnlyAdminMixin

from . import services
from .exceptions import CaseError
from .models import CaseCategory, CategoryTimeLimit, Grid, GridCase, GridMember, Open311Client


class GridMemberInline(admin.TabularInline):
    model = GridMember
    extra = 0
    autocomplete_fields = ("user",)


class GridForm(forms.ModelForm):
    polygon = forms.JSONField(label=_("Area (GeoJSON polygon)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
                              help_text=_('{"type": "Polygon", "coordinates": [[[lng, lat], …, [lng, lat]]]} in WGS84; '
                                          "the first point repeated at the end."))

    class Meta:
        model = Grid
        fields = ("code", "name", "community", "polygon", "is_active")

    def clean_polygon(self):
        polygon = self.cleaned_data.get("polygon")
        if polygon in (None, "", {}):
            return None
        try:
            return services.polygon_validate(polygon)
        except CaseError as error:
            raise forms.ValidationError(str(error)) from None


@admin.register(Grid)
class GridAdmin(admin.ModelAdmin):
    form = GridForm
    list_display = ("code", "name", "community", "member_count", "has_area", "is_active")
    list_filter = ("is_active", "community__parent")
    list_select_related = ("community",)
    search_fields = ("code__exact", "name")
    inlines = (GridMemberInline,)

    @admin.display(description=_("members"))
    def member_count(self, obj):
        return obj.members.count()

    @admin.display(description=_("area"), boolean=True)
    def has_area(self, obj):
        return bool(obj.polygon)

    def save_model(self, request, obj, form, change):
        services.grid_save(grid=obj)


class TimeLimitInline(admin.TabularInline):
    model = CategoryTimeLimit
    extra = 0


@admin.register(CaseCategory)
class CaseCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "department", "is_active")
    list_filter = ("kind", "parent", "is_active")
    list_select_related = ("parent", "department")
    search_fields = ("code__exact", "name", "keywords")
    inlines = (TimeLimitInline,)


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    """Machines allowed to post service requests; the api_key is generated when the client is added."""

    list_display = ("name", "key", "is_active", "created_at", "last_used_at")
    readonly_fields = ("key", "created_at", "last_used_at")
    fields = ("name", "key", "is_active", "created_at", "last_used_at")

    @admin.display(description=_("API key"))
    def key(self, obj):
        return format_html("<code>{}</code>", obj.api_key) if obj.api_key else _("generated when saved")

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
        else:
            created = services.open311_client_create(name=obj.name)
            obj.pk, obj.api_key = created.pk, created.api_key


@admin.register(GridCase)
class GridCaseAdmin(DepartmentScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Cases as reported (the handling loop comes with the dispatcher's queue)."""

    list_display = ("number", "channel", "category", "grid", "status", "created_at")
    list_filter = ("status", "channel")
    list_select_related = ("category__parent", "grid")
    search_fields = ("number__exact",)
    show_full_result_count = False
