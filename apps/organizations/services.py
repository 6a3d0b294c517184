from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .constants import ROLE_PERMISSIONS, Role
from .models import AdminUnit, Department


@transaction.atomic
def roles_sync() -> None:
    """Create one group per role with exactly its declared model permissions (idempotent)."""
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        perms = []
        for dotted in ROLE_PERMISSIONS.get(role, []):
            app_label, codename = dotted.split(".")
            perms.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(perms)


@transaction.atomic
def organizations_load(*, admin_units: list[dict], departments: list[dict]) -> None:
    """Upsert the administrative tree and departments by code (parents listed before children)."""
    for row in admin_units:
        parent = AdminUnit.objects.get(code=row["parent"]) if row.get("parent") else None
        AdminUnit.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "level": row["level"], "parent": parent}
        )
    for row in departments:
        Department.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "full_name": row.get("full_name", ""),
                "admin_unit": AdminUnit.objects.get(code=row["admin_unit"]),
                "phone": row.get("phone", ""),
                "address": row.get("address", ""),
            },
        )
