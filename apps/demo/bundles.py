"""Demo bundles (一件事一次办) for `make run`: the service items they add to the catalogue, then the declarations, as
an administrator would enter them in the admin. Idempotent (upserts by code)."""
from django.db import transaction

from apps.bundles.models import Bundle, BundleItem
from apps.catalogue.models import ServiceItem
from apps.catalogue.services import catalogue_load
from apps.organizations.models import Department


@transaction.atomic
def bundles_demo_load(*, data: dict) -> int:
    catalogue_load(life_events=[], service_items=data["service_items"])
    for row in data["bundles"]:
        bundle, _created = Bundle.objects.update_or_create(code=row["code"], defaults={
            "name": row["name"], "audience": row["audience"], "description": row["description"],
            "lead_department": Department.objects.get(code=row["lead_department"]), "is_active": True})
        items = {}
        for order, item in enumerate(row["items"], start=1):
            service = ServiceItem.objects.get(code=item["service"])
            items[item["service"]], _ = BundleItem.objects.update_or_create(
                bundle=bundle, service=service, defaults={"order": order,
                                                          "needs": items.get(item.get("needs"))})
            items[item["service"]].full_clean()
        BundleItem.objects.filter(bundle=bundle).exclude(pk__in=[i.pk for i in items.values()]).delete()
    return len(data["bundles"])
