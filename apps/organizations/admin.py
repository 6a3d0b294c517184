from django.contrib import admin

from .models import AdminUnit, Department


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("name", "code__exact")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "full_name", "code", "admin_unit", "phone", "is_active")
    list_filter = ("is_active", "admin_unit__level")
    search_fields = ("name", "full_name", "code__exact")
    list_select_related = ("admin_unit",)
    autocomplete_fields = ("admin_unit",)
