import os

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse

from .constants import Audience, ServiceType, Visits
from .flowchart import flowchart_layout
from .models import Material, ServiceItem
from .selectors import catalogue_facets, service_item_get, service_item_list


def service_list(request):
    params = {key: request.GET.get(key, "").strip() for key in ("q", "department", "service_type", "life_event",
                                                                 "audience")}
    if params["life_event"] and not params["life_event"].isdigit():
        params["life_event"] = ""
    page = Paginator(service_item_list(**params), 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "catalogue/service_list.html", {
        "page": page, "params": params, "query": query.urlencode(), **catalogue_facets(),
        "service_types": ServiceType.choices, "audiences": [a for a in Audience.choices if a[0] != "both"],
    })


def service_detail(request, code):
    try:
        item = service_item_get(code=code)
    except ServiceItem.DoesNotExist:
        raise Http404 from None
    return render(request, "catalogue/service_detail.html", {
        "item": item, "flowchart": flowchart_layout(item.steps.all()), "Visits": Visits,
        "apply_url": reverse("applications:apply_start", args=[item.code]) if item.applies_online else "",
    })


def material_sample(request, code, material_id):
    """Sample and blank forms are public documents."""
    material = Material.objects.filter(pk=material_id, service__code=code, service__is_active=True).first()
    if material is None or not material.sample:
        raise Http404
    return FileResponse(material.sample.open("rb"), as_attachment=True,
                        filename=material.name + os.path.splitext(material.sample.name)[1])
