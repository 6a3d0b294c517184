from django.db.models import Prefetch, QuerySet

from apps.organizations.models import Department

from .models import LifeEvent, Material, ProcessStep, ServiceItem
from .search import search_service_items


def service_item_list(*, q: str = "", department: str = "", service_type: str = "", life_event: str = "",
                      audience: str = "") -> QuerySet:
    """Published items, filtered; ``q`` is searched in Chinese (see search.py), best matches first on PostgreSQL."""
    qs = ServiceItem.objects.filter(is_active=True).select_related("department")
    if department:
        qs = qs.filter(department__code=department)
    if service_type:
        qs = qs.filter(service_type=service_type)
    if life_event:
        qs = qs.filter(life_events__pk=life_event)
    if audience:
        qs = qs.filter(audience__in=[audience, "both"])
    qs = qs.distinct().order_by("department__code", "code")
    return search_service_items(qs, q) if q.strip() else qs


def service_item_get(*, code: str) -> ServiceItem:
    return (ServiceItem.objects.filter(is_active=True).select_related("department__admin_unit", "licence_kind")
            .prefetch_related(Prefetch("materials", queryset=Material.objects.order_by("order", "id")),
                              Prefetch("steps", queryset=ProcessStep.objects.order_by("order", "id")),
                              "life_events")
            .get(code=code))


def catalogue_facets() -> dict:
    return {
        "departments": Department.objects.filter(service_items__is_active=True).distinct().order_by("code"),
        "life_events": LifeEvent.objects.all(),
    }
