from django.db.models import Prefetch, Q, QuerySet

from apps.organizations.models import Department

from .models import LifeEvent, Material, ProcessStep, ServiceItem


def service_item_list(*, q: str = "", department: str = "", service_type: str = "", life_event: str = "",
                      audience: str = "") -> QuerySet:
    """Published items, filtered. The catalogue holds thousands of items at most, so a plain contains-search on
    name, code and department is enough on both databases (measured in docs/benchmarks.md)."""
    qs = ServiceItem.objects.filter(is_active=True).select_related("department")
    if q:
        for word in q.split():
            qs = qs.filter(Q(name__icontains=word) | Q(code__iexact=word) | Q(department__name__icontains=word)
                           | Q(acceptance_conditions__icontains=word))
    if department:
        qs = qs.filter(department__code=department)
    if service_type:
        qs = qs.filter(service_type=service_type)
    if life_event:
        qs = qs.filter(life_events__pk=life_event)
    if audience:
        qs = qs.filter(audience__in=[audience, "both"])
    return qs.distinct().order_by("department__code", "code")


def service_item_get(*, code: str) -> ServiceItem:
    return (ServiceItem.objects.filter(is_active=True).select_related("department__admin_unit")
            .prefetch_related(Prefetch("materials", queryset=Material.objects.order_by("order", "id")),
                              Prefetch("steps", queryset=ProcessStep.objects.order_by("order", "id")),
                              "life_events")
            .get(code=code))


def catalogue_facets() -> dict:
    return {
        "departments": Department.objects.filter(service_items__is_active=True).distinct().order_by("code"),
        "life_events": LifeEvent.objects.all(),
    }
