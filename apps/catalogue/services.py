from django.db import transaction

from apps.organizations.models import Department

from .models import LifeEvent, Material, ProcessStep, ServiceItem


@transaction.atomic
def catalogue_load(*, life_events: list[dict], service_items: list[dict]) -> int:
    """Upsert life events and service items (by code) with their materials and steps (by position). Idempotent."""
    for row in life_events:
        LifeEvent.objects.update_or_create(audience=row["audience"], name=row["name"],
                                           defaults={"order": row.get("order", 0)})
    from apps.licences.models import LicenceKind

    def kind(code):
        return LicenceKind.objects.get(code=code) if code else None

    for row in service_items:
        fields = {k: v for k, v in row.items()
                  if k not in {"code", "department", "life_events", "materials", "steps", "licence_kind"}}
        item, _created = ServiceItem.objects.update_or_create(
            code=row["code"], defaults={**fields, "department": Department.objects.get(code=row["department"]),
                                        "licence_kind": kind(row.get("licence_kind"))})
        item.full_clean()
        item.life_events.set(LifeEvent.objects.filter(name__in=row.get("life_events", [])))
        for order, material in enumerate(row.get("materials", []), start=1):
            Material.objects.update_or_create(service=item, order=order, defaults={
                **material, "licence_kind": kind(material.get("licence_kind"))})
        Material.objects.filter(service=item, order__gt=len(row.get("materials", []))).delete()
        for order, step in enumerate(row.get("steps", []), start=1):
            ProcessStep.objects.update_or_create(service=item, order=order, defaults=step)
        ProcessStep.objects.filter(service=item, order__gt=len(row.get("steps", []))).delete()
    return len(service_items)
