from django.db import transaction

from apps.core.upsert import m2m_replace, upsert
from apps.organizations.models import Department

from .models import LifeEvent, Material, ProcessStep, ServiceItem


@transaction.atomic
def catalogue_load(*, life_events: list[dict], service_items: list[dict]) -> int:
    """Upsert life events and service items (by code) with their materials and steps (by position). Idempotent.

    Set-wise (apps.core.upsert): a few queries for the whole catalogue rather than some 60 an item, because load_demo
    and the test worlds of hundreds of tests run it. A material or step keeps its row (and id: applications point at
    their materials) when its position stays; the ones past the new end are deleted."""
    from apps.licences.models import LicenceKind

    upsert(LifeEvent, key=("audience", "name"), rows=[
        {"audience": row["audience"], "name": row["name"], "order": row.get("order", 0)} for row in life_events])
    departments = Department.objects.in_bulk([row["department"] for row in service_items], field_name="code")
    kind_codes = {row.get("licence_kind") for row in service_items} | {
        material.get("licence_kind") for row in service_items for material in row.get("materials", [])}
    kinds = LicenceKind.objects.in_bulk([code for code in kind_codes if code], field_name="code")

    def kind(code):
        if not code:
            return None
        if code not in kinds:
            raise LicenceKind.DoesNotExist(f"Licence kind {code} does not exist.")
        return kinds[code]

    def department(code):
        if code not in departments:
            raise Department.DoesNotExist(f"Department {code} does not exist.")
        return departments[code]

    items = upsert(ServiceItem, key="code", clean=True, rows=[
        {**{k: v for k, v in row.items()
            if k not in {"code", "department", "life_events", "materials", "steps", "licence_kind"}},
         "code": row["code"], "department": department(row["department"]), "licence_kind": kind(row.get("licence_kind"))}
        for row in service_items])
    # A service item's life events are those named (in either audience), as .set(filter(name__in=…)) gave.
    events_by_name: dict[str, set[int]] = {}
    for pk, name in LifeEvent.objects.filter(
            name__in={name for row in service_items for name in row.get("life_events", [])}).values_list("pk", "name"):
        events_by_name.setdefault(name, set()).add(pk)
    wanted: dict[int, set[int]] = {}
    for row in service_items:  # a later row of the same code wins, as successive .set() calls did
        wanted[items[row["code"]].pk] = {pk for name in row.get("life_events", []) for pk in events_by_name.get(name, ())}
    m2m_replace(ServiceItem.life_events.field, wanted=wanted)

    last = {row["code"]: row for row in service_items}.values()
    upsert(Material, key=("service", "order"), rows=[
        {**material, "service": items[row["code"]], "order": order, "licence_kind": kind(material.get("licence_kind"))}
        for row in last for order, material in enumerate(row.get("materials", []), start=1)])
    upsert(ProcessStep, key=("service", "order"), rows=[
        {**step, "service": items[row["code"]], "order": order}
        for row in last for order, step in enumerate(row.get("steps", []), start=1)])
    for model, part in ((Material, "materials"), (ProcessStep, "steps")):
        count = {items[row["code"]].pk: len(row.get(part, [])) for row in last}
        stale = [pk for pk, service_id, order in model.objects.filter(service_id__in=count).values_list(
            "pk", "service_id", "order") if order > count[service_id]]
        if stale:
            model.objects.filter(pk__in=stale).delete()
    return len(service_items)
