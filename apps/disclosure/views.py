"""The public's disclosure catalogues: browse by level → region → domain, search, entry pages, exports. Only
published versions are ever shown or exported."""
import io
import json

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from apps.core.paging import CappedPaginator
from apps.organizations.constants import AdminLevel
from apps.outbox.services import outbox_enqueue

from . import selectors
from .constants import Audience, Channel, Mode
from .models import Catalogue, CatalogueVersion, Domain, PublishedEntry

PAGE_SIZE = 20
CATALOGUE_PAGE_SIZE = 200
SYNC_PDF_MAX_ENTRIES = 400  # larger tables are rendered by the worker, once per version


def _filters(request) -> dict:
    get = request.GET
    return {
        "q": get.get("q", "")[:100],
        "mode": get.get("mode", "") if get.get("mode") in Mode.values else "",
        "audience": get.get("audience", "") if get.get("audience") in Audience.values else "",
        "channel": get.get("channel", "") if get.get("channel") in Channel.values else "",
        "level": get.get("level", "") if get.get("level") in AdminLevel.values else "",
        "domain": get.get("domain", "") if get.get("domain", "").isdigit() else "",
    }


def _choices():
    return {"modes": [(value, label) for value, label in Mode.choices if value != Mode.BOTH], "audiences": Audience.choices, "channels": Channel.choices,
            "levels": AdminLevel.choices}


@require_GET
def index(request):
    counts = selectors.level_counts()
    levels = [{"value": value, "label": label, "count": counts.get(value, 0)} for value, label in AdminLevel.choices]
    return render(request, "disclosure/index.html", {
        **_choices(), "level_cards": levels, "domains": Domain.objects.all(), "params": _filters(request)})


@require_GET
def level(request, level):
    if level not in AdminLevel.values:
        raise Http404
    domain = None
    if request.GET.get("domain", "").isdigit():
        domain = Domain.objects.filter(pk=request.GET["domain"]).first()
    catalogues = selectors.catalogues_published(level=level, domain=domain)
    units = {}
    for catalogue in catalogues:
        units.setdefault(catalogue.admin_unit, []).append(catalogue)
    return render(request, "disclosure/level.html", {
        "level": level, "level_label": AdminLevel(level).label, "units": units.items(), "domain": domain,
        "domains": Domain.objects.all()})


@require_GET
def coverage(request):
    """The public summary of 检查验收: per unit, the domains whose catalogue is published and current; per village,
    its 村(居)务公开 and the five affairs it covers. What is not yet published is only “not published” here."""
    report = selectors.coverage_report(units=selectors.coverage_units())
    return render(request, "disclosure/coverage.html", {"report": report})


@require_GET
def village(request, code):
    """A village's or community's own page: its 村(居)务公开 catalogue, entry by entry under the five affairs."""
    from apps.organizations.models import AdminUnit

    from .constants import AffairsGroup, DomainKind

    unit = get_object_or_404(AdminUnit.objects.select_related("parent"), code=code, level=AdminLevel.VILLAGE)
    obj = selectors.catalogues_published(admin_unit=unit).filter(domain__kind=DomainKind.VILLAGE_AFFAIRS).first()
    groups = []
    if obj is not None:
        entries = list(selectors.version_entries(version=obj.current_version))
        for group in AffairsGroup:
            groups.append({"group": group, "entries": [e for e in entries if e.affairs_group == group.value]})
    return render(request, "disclosure/village.html", {
        "unit": unit, "catalogue": obj, "groups": groups, "ancestors": unit.ancestors()})


@require_GET
def catalogue(request, pk):
    try:
        obj = selectors.catalogue_get_published(pk=pk)
    except Catalogue.DoesNotExist:
        raise Http404 from None
    params = _filters(request)
    version = obj.current_version
    filtered = any(params[k] for k in ("q", "mode", "audience", "channel"))
    if filtered:
        entries = selectors.entries_search(catalogue=obj, q=params["q"], mode=params["mode"],
                                           audience=params["audience"], channel=params["channel"])
        entries = entries.filter(version=version).order_by("position", "id")
    else:
        entries = selectors.version_entries(version=version)
    from .tables import grouped_rows

    # A catalogue is read in pages of CATALOGUE_PAGE_SIZE rows (most have fewer; a few county tables run to
    # thousands); 一级事项 cells merge within the page.
    paginator = Paginator(entries, CATALOGUE_PAGE_SIZE)
    if not filtered:
        paginator.count = version.entry_count  # known from the version: no COUNT over its rows
    page = paginator.get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in params.items() if v})
    return render(request, "disclosure/catalogue.html", {
        "catalogue": obj, "version": version, "rows": grouped_rows(list(page.object_list)), "filtered": filtered,
        "page": page, "query": query, "params": params, **_choices(),
        "versions": obj.versions.order_by("-number").only("number", "published_at", "entry_count"),
        "ancestors": obj.admin_unit.ancestors()})


@require_GET
def entry(request, pk):
    item = get_object_or_404(PublishedEntry.objects.select_related("version", "catalogue__admin_unit",
                                                                   "catalogue__domain", "catalogue__department"),
                             pk=pk)
    from .tables import channels_text

    return render(request, "disclosure/entry.html", {
        "entry": item, "catalogue": item.catalogue, "channels": channels_text(item.channel_codes, item.channels_other),
        "superseded": not item.is_current})


@require_GET
def search(request):
    params = _filters(request)
    domain = Domain.objects.filter(pk=params["domain"]).first() if params["domain"] else None
    results = (selectors.entries_search(q=params["q"], level=params["level"], domain=domain, mode=params["mode"],
                                        audience=params["audience"], channel=params["channel"])
               .order_by("catalogue_id", "position", "id"))
    results = selectors.entries_with_catalogue(results)
    # A broad filter over 100,000 entries counts at most SEARCH_COUNT_CAP of them (issue 18 item 6, benchmarks.md).
    paginator = CappedPaginator(results, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in params.items() if v})
    return render(request, "disclosure/search.html", {
        "page": page, "params": params, "query": query, "domains": Domain.objects.all(), **_choices()})


def _version_for_export(request, obj) -> CatalogueVersion:
    number = request.GET.get("version", "")
    if number.isdigit():
        version = obj.versions.filter(number=int(number)).first()
        if version is None:
            raise Http404
        return version
    return obj.current_version


def _filename(obj, version, ext) -> str:
    from urllib.parse import quote

    name = f"{obj.title}-第{version.number}版.{ext}"
    return f"attachment; filename=catalogue-{obj.pk}-v{version.number}.{ext}; filename*=UTF-8''{quote(name)}"


@require_GET
def export(request, pk, fmt):
    try:
        obj = selectors.catalogue_get_published(pk=pk)
    except Catalogue.DoesNotExist:
        raise Http404 from None
    version = _version_for_export(request, obj)
    entries = selectors.version_entries(version=version)
    from . import tables

    if fmt == "xlsx":
        if not version.xlsx:
            from . import services

            version = services.version_xlsx_render(version_id=version.pk)
        response = FileResponse(version.xlsx.open("rb"),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    elif fmt == "csv":
        out = io.StringIO()
        tables.csv_write(entries=entries.iterator(chunk_size=1000), out=out)
        response = HttpResponse(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    elif fmt == "json":
        payload = {"catalogue": obj.title, "admin_unit": obj.admin_unit.name, "level": obj.admin_unit.level,
                   "domain": obj.domain.name, "publisher": obj.department.full_name or obj.department.name,
                   "version": version.number, "published_at": version.published_at.isoformat(),
                   "entries": [tables.entry_json(e) for e in entries.iterator(chunk_size=1000)]}
        response = HttpResponse(json.dumps(payload, ensure_ascii=False, indent=1),
                                content_type="application/json; charset=utf-8")
    elif fmt == "pdf":
        if not version.pdf:
            from . import services, tasks

            if version.entry_count <= SYNC_PDF_MAX_ENTRIES:
                version = services.version_pdf_render(version_id=version.pk)
            else:
                outbox_enqueue(tasks.version_pdf_render, version.pk)
                return render(request, "disclosure/pdf_pending.html", {"catalogue": obj, "version": version},
                              status=503, headers={"Retry-After": "30"})
        response = FileResponse(version.pdf.open("rb"), content_type="application/pdf")
    else:
        raise Http404
    response["Content-Disposition"] = _filename(obj, version, fmt)
    return response
