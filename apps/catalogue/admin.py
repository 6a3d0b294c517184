from django.contrib import admin
from import_export import fields, resources, widgets
from import_export.admin import ImportExportModelAdmin

from apps.core.admin_mixins import DepartmentScopedAdminMixin
from apps.organizations.models import Department

from .models import LifeEvent, Material, ProcessStep, ServiceItem


class ServiceItemResource(resources.ModelResource):
    """xlsx import/export of the catalogue. The department is its code; life events are names separated by commas."""

    department = fields.Field(attribute="department", column_name="department",
                              widget=widgets.ForeignKeyWidget(Department, field="code"))
    life_events = fields.Field(attribute="life_events", column_name="life_events",
                               widget=widgets.ManyToManyWidget(LifeEvent, field="name", separator=","))

    class Meta:
        model = ServiceItem
        import_id_fields = ("code",)
        fields = ("code", "name", "service_type", "department", "audience", "life_events", "legal_basis",
                  "acceptance_conditions", "legal_limit", "promised_limit", "fee", "place", "phone",
                  "visits_required", "online_depth", "signoff", "is_active")
        skip_unchanged = True
        clean_model_instances = True


class MaterialInline(admin.TabularInline):
    model = Material
    extra = 0
    fields = ("order", "name", "source", "form", "count", "required", "condition", "sample", "note")


class ProcessStepInline(admin.TabularInline):
    model = ProcessStep
    extra = 0
    fields = ("order", "name", "actor", "description", "time_limit")


@admin.register(ServiceItem)
class ServiceItemAdmin(DepartmentScopedAdminMixin, ImportExportModelAdmin):
    resource_classes = [ServiceItemResource]
    list_display = ("code", "name", "service_type", "department", "promised_limit", "legal_limit",
                    "visits_required", "signoff", "is_active")
    list_filter = ("service_type", "visits_required", "online_depth", "signoff", "is_active", "audience")
    list_select_related = ("department",)
    search_fields = ("name", "code__exact")
    filter_horizontal = ("life_events",)
    inlines = (MaterialInline, ProcessStepInline)
    autocomplete_fields = ("department",)


@admin.register(LifeEvent)
class LifeEventAdmin(admin.ModelAdmin):
    list_display = ("name", "audience", "order")
    list_filter = ("audience",)
