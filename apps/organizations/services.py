from django.contrib.auth.models import Group, Permission
from django.db import transaction

from apps.core.upsert import m2m_replace, upsert

from .constants import ROLE_PERMISSIONS, Role
from .models import AdminUnit, Department


@transaction.atomic
def roles_sync() -> None:
    """Create one group per role with exactly its declared model permissions (idempotent). A handful of queries
    whatever the number of roles (apps.core.upsert): it runs in every load_demo and in many tests' worlds."""
    wanted = {role.value: [tuple(dotted.split(".")) for dotted in ROLE_PERMISSIONS.get(role, [])] for role in Role}
    needed = {pair for pairs in wanted.values() for pair in pairs}
    permissions = {
        (app_label, codename): pk for pk, app_label, codename in Permission.objects.filter(
            content_type__app_label__in={a for a, _c in needed}, codename__in={c for _a, c in needed},
        ).values_list("pk", "content_type__app_label", "codename")}
    if missing := sorted(needed - permissions.keys()):
        raise Permission.DoesNotExist(f"Role permission {'.'.join(missing[0])} does not exist.")
    groups = upsert(Group, key="name", rows=[{"name": name} for name in wanted])
    m2m_replace(Group.permissions.field, wanted={
        groups[name].pk: {permissions[pair] for pair in pairs} for name, pairs in wanted.items()})


@transaction.atomic
def organizations_load(*, admin_units: list[dict], departments: list[dict]) -> None:
    """Upsert the administrative tree and departments by code (parents listed before children)."""
    units = AdminUnit.objects.in_bulk(field_name="code")
    pending = list(admin_units)
    while pending:
        # One generation at a time: a row whose parent is known (already there, or created by the previous round).
        ready = [row for row in pending if not row.get("parent") or row["parent"] in units]
        if not ready:
            raise AdminUnit.DoesNotExist(f"Parent administrative unit {pending[0]['parent']} does not exist.")
        units.update(upsert(AdminUnit, key="code", rows=[
            {"code": row["code"], "name": row["name"], "level": row["level"],
             "parent": units[row["parent"]] if row.get("parent") else None} for row in ready]))
        pending = [row for row in pending if row not in ready]
    missing = {row["admin_unit"] for row in departments} - units.keys()
    if missing:
        raise AdminUnit.DoesNotExist(f"Administrative unit {sorted(missing)[0]} does not exist.")
    upsert(Department, key="code", rows=[
        {"code": row["code"], "name": row["name"], "full_name": row.get("full_name", ""),
         "admin_unit": units[row["admin_unit"]], "phone": row.get("phone", ""), "address": row.get("address", "")}
        for row in departments])
