from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from apps.core.admin_mixins import DepartmentScopedAdminMixin

from .models import CitizenProfile, EnterpriseProfile, User
from .validators import mask_id_number


class CitizenProfileInline(admin.StackedInline):
    model = CitizenProfile
    can_delete = False
    fields = ("real_name", "masked_id_number")
    readonly_fields = ("real_name", "masked_id_number")
    extra = 0

    @admin.display(description=_("resident ID number"))
    def masked_id_number(self, obj):
        return mask_id_number(obj.id_number)


class EnterpriseProfileInline(admin.StackedInline):
    model = EnterpriseProfile
    can_delete = False
    extra = 0


@admin.register(User)
class UserAdmin(DepartmentScopedAdminMixin, DjangoUserAdmin):
    """Superusers manage every account; a department head sees the staff of their own department only."""

    list_display = ("username", "display_name", "kind", "department", "phone", "is_staff", "is_active")
    list_filter = ("kind", "is_staff", "is_active", "groups")
    list_select_related = ("department", "citizen_profile", "enterprise_profile")
    search_fields = ("username__exact", "phone__exact", "email__iexact", "first_name")
    autocomplete_fields = ("department",)
    inlines = (CitizenProfileInline, EnterpriseProfileInline)
    fieldsets = (
        (None, {"fields": ("username", "password", "kind")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "phone")}),
        (_("Department and roles"), {"fields": ("department", "is_active", "is_staff", "is_superuser", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "department", "password1", "password2")}),
    )

    @admin.display(description=_("name"))
    def display_name(self, obj):
        return obj.display_name

    def save_model(self, request, obj, form, change):
        if not change:
            obj.kind = "staff"
            obj.is_staff = True
        super().save_model(request, obj, form, change)
