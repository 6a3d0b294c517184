"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) under /open311/v2/, JSON only.

Errors answer in the specification's form: a list of {"code": <HTTP status>, "description": "..."}.

Privacy of the GET (issue 14, docs/security.md): anyone may read it, so it answers only what is meant to be public.
Listed are patrol reports and requests posted through this API, never a 随手拍 (followed only by its reporter), a
hotline case (only by its caller) or a report marked anonymous — those answer 404 like an unknown number. Of a listed
case the public reads its category (not the reporter's words), status, handling department, community and
coordinates rounded to 3 decimals; never a name, phone, e-mail, typed address or photo. POST stays keyed."""
import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from apps.core.throttle import Limit, throttle_exceeded

from . import selectors, services
from .constants import CLOSED_STATUSES, Channel
from .exceptions import CaseError
from .models import CaseCategory, GridCase, Open311Client

DEFAULT_DAYS = 90  # GeoReport v2: without dates, the last 90 days …
MAX_REQUESTS = 1000  # … or the first 1,000 requests, whichever is smaller
SERVICE_NOTICE = "已受理上报，网格化服务管理中心将立案、派遣至责任部门处置。"


def _json(data, status=200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _error(status: int, description: str) -> JsonResponse:
    return _json([{"code": status, "description": description}], status=status)


def _format_ok(response_format: str):
    return None if response_format == "json" else _error(400, f"Format '{response_format}' is not supported; use .json.")


def _iso(moment) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _service(category: CaseCategory) -> dict:
    return {"service_code": category.code, "service_name": f"{category.parent.name}/{category.name}",
            "description": f"{category.get_kind_display()}：{category.parent.name}/{category.name}"
                           + (f"（{category.department.name}）" if category.department_id else ""),
            "metadata": False, "type": "realtime", "keywords": category.keywords or None,
            "group": category.parent.name}


COORDINATE_DECIMALS = 3  # ~110 m north–south, ~85 m east–west here: the block, not the doorway


def _public_description(category: CaseCategory | None) -> str | None:
    """What the public reads of a case: its category, never the reporter's words.

    Masking phone and ID numbers in free text was considered and refused: the reporter's words also carry names,
    plate numbers, room numbers, a neighbour's quarrel, none of which a pattern finds reliably, and nobody on staff
    writes or approves a public text today. The category tells the public what the problem is; the reporter's
    description stays with the staff who handle the case."""
    if category is None:
        return None
    return f"{category.get_kind_display()}：{category.parent.name}/{category.name}"


def _public_address(case: GridCase) -> str | None:
    """The community the case lies in (district, street, community), never the typed address with its house
    number."""
    names = [unit.name for unit in (case.district, case.street, case.community) if unit is not None]
    return "".join(names) or None


def _coarse(value: float | None) -> float | None:
    return round(value, COORDINATE_DECIMALS) if value is not None else None


def _request(case: GridCase) -> dict:
    """One case as the public sees it through the GET (issue 14): category, status, the handling department, the
    community and coordinates rounded to 3 decimals — no reporter's words, name, contact, exact place or photo.
    Which cases are listed at all: ``selectors.cases_for_open311``."""
    category = case.category
    return {
        "service_request_id": case.number,
        "status": "closed" if case.status in CLOSED_STATUSES else "open",
        "status_notes": case.get_status_display(),
        "service_name": f"{category.parent.name}/{category.name}" if category else None,
        "service_code": category.code if category else "",
        "description": _public_description(category),
        "agency_responsible": case.department.name if case.department_id else None,
        "service_notice": SERVICE_NOTICE,
        "requested_datetime": _iso(case.created_at),
        "updated_datetime": _iso(case.updated_at),
        "expected_datetime": None,
        "address": _public_address(case),
        "address_id": None,
        "zipcode": None,
        "lat": _coarse(case.lat),
        "long": _coarse(case.lng),
        "media_url": None,  # the reporter's photo may show faces and plates: never public
    }


@require_http_methods(["GET"])
def services_list(request, response_format):
    if (bad := _format_ok(response_format)) is not None:
        return bad
    return _json([_service(c) for c in selectors.services_active()])


@require_http_methods(["GET"])
def service_definition(request, code, response_format):
    if (bad := _format_ok(response_format)) is not None:
        return bad
    try:
        category = selectors.service_get(code=code)
    except CaseCategory.DoesNotExist:
        return _error(404, f"service_code '{code}' not found.")
    return _json({"service_code": category.code, "attributes": []})


def _date(value: str, name: str):
    moment = parse_datetime(value) if value else None
    if value and moment is None:
        raise ValueError(f"{name} '{value}' is not a W3C date-time, e.g. 2026-11-23T08:00:00+08:00.")
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests_collection(request, response_format):
    if (bad := _format_ok(response_format)) is not None:
        return bad
    if request.method == "POST":
        return _post_request(request)
    params = request.GET
    cases = selectors.cases_for_open311()
    ids = [v.strip() for v in params.get("service_request_id", "").split(",") if v.strip()]
    if ids:  # other parameters are ignored when ids are given (GeoReport v2)
        return _json([_request(c) for c in cases.filter(number__in=ids[:MAX_REQUESTS])])
    try:
        start, end = _date(params.get("start_date", ""), "start_date"), _date(params.get("end_date", ""), "end_date")
    except ValueError as error:
        return _error(400, str(error))
    if start is None and end is None:
        start = timezone.now() - dt.timedelta(days=DEFAULT_DAYS)
    if start is not None:
        cases = cases.filter(created_at__gte=start)
    if end is not None:
        cases = cases.filter(created_at__lte=end)
    codes = [v.strip() for v in params.get("service_code", "").split(",") if v.strip()]
    if codes:
        cases = cases.filter(category__code__in=codes)
    status = params.get("status", "")
    if status:
        wanted = {s.strip() for s in status.split(",")}
        if not wanted <= {"open", "closed"}:
            return _error(400, "status must be 'open' or 'closed'.")
        if wanted == {"open"}:
            cases = cases.exclude(status__in=CLOSED_STATUSES)
        elif wanted == {"closed"}:
            cases = cases.filter(status__in=CLOSED_STATUSES)
    cases = cases.order_by("-created_at", "-id")[:MAX_REQUESTS]
    return _json([_request(c) for c in cases])


def _post_request(request):
    data = request.POST
    key = data.get("api_key", "")
    client = Open311Client.objects.filter(api_key=key, is_active=True).first() if key else None
    if client is None:
        return _error(403, "api_key is missing or not valid." if key else "api_key is required.")
    retry_after = throttle_exceeded(request, Limit("open311_post_key", f"client:{client.pk}"))
    if retry_after is not None:
        response = _error(429, f"Too many requests for this api_key; try again in {retry_after} seconds.")
        response["Retry-After"] = str(retry_after)
        return response
    code = data.get("service_code", "").strip()
    if not code:
        return _error(400, "service_code is required.")
    try:
        category = selectors.service_get(code=code)
    except CaseCategory.DoesNotExist:
        return _error(404, f"service_code '{code}' not found.")
    try:
        lat = float(data["lat"]) if data.get("lat", "") != "" else None
        lng = float(data["long"]) if data.get("long", "") != "" else None
    except ValueError:
        return _error(400, "lat and long must be numbers (WGS84).")
    media_url = data.get("media_url", "").strip()
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            return _error(400, "media_url must be an http(s) URL.")
    name = " ".join(v for v in (data.get("last_name", "").strip(), data.get("first_name", "").strip()) if v)
    try:
        case = services.case_report(
            channel=Channel.OPEN311, description=data.get("description", ""), lat=lat, lng=lng,
            address=data.get("address_string", ""), category=category, reporter_name=name,
            reporter_phone=data.get("phone", ""), reporter_email=data.get("email", "")[:254],
            open311_client=client, device_id=data.get("device_id", ""), media_url=media_url)
    except CaseError as error:
        field = {"lat": "lat/long", "address": "address_string"}.get(error.field, error.field)
        return _error(400, f"{field}: {error}")
    Open311Client.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    return _json([{"service_request_id": case.number, "service_notice": SERVICE_NOTICE, "account_id": None}])


@require_http_methods(["GET"])
def request_detail(request, number, response_format):
    if (bad := _format_ok(response_format)) is not None:
        return bad
    case = selectors.cases_for_open311().filter(number=number).first()
    if case is None:
        return _error(404, f"service_request_id '{number}' not found.")
    return _json([_request(case)])
