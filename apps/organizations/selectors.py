"""Department scoping: the one place that decides which rows a staff user may see.

A superuser sees everything. Any other staff user sees the rows of their own department, plus rows on which
django-guardian granted them an object permission. Everyone else sees nothing.
"""
from django.db.models import Model, Q, QuerySet
from guardian.shortcuts import get_objects_for_user

from .models import AdminUnit, Department


def queryset_for_department(*, user, queryset: QuerySet, department_field: str = "department", perm: str | None = None):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    visible = Q(**{department_field: user.department_id}) if user.department_id is not None else Q(pk__in=[])
    if perm:
        granted = get_objects_for_user(user, perm, klass=queryset.model, accept_global_perms=False)
        visible |= Q(pk__in=granted.values("pk"))
    return queryset.filter(visible)


def object_in_department_of(*, user, obj: Model, department_field: str = "department") -> bool:
    model = type(obj)
    return queryset_for_department(user=user, queryset=model._default_manager.filter(pk=obj.pk),
                                   department_field=department_field).exists()


def department_list(*, admin_unit: AdminUnit | None = None) -> QuerySet:
    qs = Department.objects.filter(is_active=True).select_related("admin_unit")
    if admin_unit is not None:
        qs = qs.filter(admin_unit=admin_unit)
    return qs


def admin_unit_children(*, parent: AdminUnit | None) -> QuerySet:
    return AdminUnit.objects.filter(parent=parent).order_by("code")
