from django.contrib import admin

from apps.core.admin_mixins import DepartmentScopedAdminMixin
from apps.workflow.admin import TimelineInline, WorkflowAdminMixin

from .models import ExampleCase


@admin.register(ExampleCase)
class ExampleCaseAdmin(DepartmentScopedAdminMixin, WorkflowAdminMixin, admin.ModelAdmin):
    list_display = ("reference", "title", "status", "department", "submitted_at")
    list_filter = ("status",)
    list_select_related = ("department",)
    search_fields = ("reference__exact",)
    fields = ("reference", "title", "applicant", "department", "status", "submitted_at")
    readonly_fields = ("reference", "applicant", "department", "submitted_at")
    inlines = (TimelineInline,)
    guardian_perm = "example_app.view_examplecase"
