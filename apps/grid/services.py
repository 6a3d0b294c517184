"""Grid cases (网格化服务管理): grids and their areas, the category tree, and the intake of reports from every channel.
The handling loop (立案 → 派遣 → 处置 → 核查 → 结案 → 评价) builds on these."""
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.organizations.models import AdminUnit, Department

from .constants import DESCRIPTION_MAX, Channel, Step, Urgency
from .exceptions import CaseError
from .models import CaseCategory, CaseSequence, CategoryTimeLimit, Grid, GridCase, GridMember, Open311Client
from .selectors import grid_for_point, point_in_city

# Default limits per step when a category does not say otherwise: (limit, unit) by urgency.
DEFAULT_LIMITS = {
    Urgency.NORMAL: {Step.REGISTER: (2, "hours"), Step.DISPATCH: (2, "hours"), Step.HANDLE: (3, "working_days"),
                     Step.VERIFY: (24, "hours")},
    Urgency.URGENT: {Step.REGISTER: (1, "hours"), Step.DISPATCH: (1, "hours"), Step.HANDLE: (4, "hours"),
                     Step.VERIFY: (4, "hours")},
}


def polygon_validate(polygon) -> dict:
    """A GeoJSON Polygon inside the city: closed rings of at least four [lng, lat] points. Raises CaseError."""
    if not isinstance(polygon, dict) or polygon.get("type") != "Polygon":
        raise CaseError(_("The area must be a GeoJSON Polygon."), field="polygon")
    rings = polygon.get("coordinates")
    if not isinstance(rings, list) or not rings:
        raise CaseError(_("The polygon has no coordinates."), field="polygon")
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4 or ring[0] != ring[-1]:
            raise CaseError(_("Each ring needs at least four points and must end where it starts."), field="polygon")
        for point in ring:
            if (not isinstance(point, list) or len(point) < 2
                    or not all(isinstance(v, (int, float)) for v in point[:2])
                    or not point_in_city(lng=point[0], lat=point[1])):
                raise CaseError(_("Every point must be [longitude, latitude] inside the city."), field="polygon")
    return polygon


def _bbox(polygon):
    points = [p for ring in polygon["coordinates"] for p in ring]
    return (min(p[0] for p in points), min(p[1] for p in points), max(p[0] for p in points),
            max(p[1] for p in points))


@transaction.atomic
def grid_save(*, grid: Grid, polygon=None) -> Grid:
    """Save a grid with its (validated) area and keep the bounding box in step."""
    if polygon is not None:
        grid.polygon = polygon_validate(polygon)
    if grid.polygon:
        grid.min_lng, grid.min_lat, grid.max_lng, grid.max_lat = _bbox(grid.polygon)
    else:
        grid.min_lng = grid.min_lat = grid.max_lng = grid.max_lat = None
    grid.save()
    return grid


@transaction.atomic
def grids_load(*, rows: list[dict]) -> int:
    """Grids with their areas (idempotent by code)."""
    communities = {u.code: u for u in AdminUnit.objects.filter(code__in={r["community"] for r in rows})}
    for row in rows:
        grid = Grid.objects.filter(code=row["code"]).first() or Grid(code=row["code"])
        grid.name, grid.community = row["name"], communities[row["community"]]
        grid_save(grid=grid, polygon=row.get("polygon"))
    return len(rows)


@transaction.atomic
def categories_load(*, groups: list[dict]) -> int:
    """The two-level category tree; a category that exists keeps the department and limits set in the admin."""
    departments = {d.code: d for d in Department.objects.all()}
    leaves = 0
    for group_row in groups:
        group, _created = CaseCategory.objects.get_or_create(
            code=group_row["code"], defaults={"name": group_row["name"], "kind": group_row["kind"]})
        for row in group_row["children"]:
            leaves += 1
            category, created = CaseCategory.objects.get_or_create(code=row["code"], defaults={
                "name": row["name"], "kind": group_row["kind"], "parent": group,
                "department": departments[row["department"]], "keywords": row.get("keywords", "")})
            if not created:
                continue
            limits = []
            for urgency, steps in DEFAULT_LIMITS.items():
                for step, (limit, unit) in steps.items():
                    override = row.get("limits", {}).get(f"{step}_{urgency}") if isinstance(row.get("limits"), dict) else None
                    limit, unit = override or (limit, unit)
                    limits.append(CategoryTimeLimit(category=category, urgency=urgency, step=step, limit=limit,
                                                    unit=unit))
            CategoryTimeLimit.objects.bulk_create(limits)
    return leaves


@transaction.atomic
def grids_demo_load(*, data: dict) -> int:
    """The demo district's grids, the demo grid member on the first community's grids, and the demo Open311 client
    with its fixed key (printed by `make run`)."""
    from apps.accounts.models import User

    count = grids_load(rows=data["grids"])
    member = User.objects.filter(username="grid_member").first()
    if member is not None:
        for grid in Grid.objects.filter(community__code=data["grids"][0]["community"]):
            GridMember.objects.get_or_create(grid=grid, user=member)
    if not Open311Client.objects.filter(api_key=data["open311_demo_key"]).exists():
        open311_client_create(name="演示客户端（12345热线平台）", api_key=data["open311_demo_key"])
    return count


def open311_client_create(*, name: str, api_key: str | None = None) -> Open311Client:
    """Issue an api_key to a machine client (random unless given, e.g. the demo's fixed one)."""
    return Open311Client.objects.create(name=name, api_key=api_key or secrets.token_urlsafe(24))


def _next_number(now) -> str:
    day = timezone.localtime(now).date()
    CaseSequence.objects.get_or_create(day=day)
    sequence = CaseSequence.objects.select_for_update().get(day=day)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"WG{day:%Y%m%d}{sequence.last:06d}"


@transaction.atomic
def case_report(*, channel: str, description: str, lat: float | None = None, lng: float | None = None,
                address: str = "", category: CaseCategory | None = None, grid: Grid | None = None,
                urgency: str = Urgency.NORMAL, reporter=None, reporter_name: str = "", reporter_phone: str = "",
                reporter_email: str = "", anonymous: bool = False, open311_client: Open311Client | None = None,
                device_id: str = "", media_url: str = "") -> GridCase:
    """上报: a report from any channel gets its number; its grid is found from the coordinates (polygon) or is the
    one chosen; its department is the category's. Raises CaseError naming the field at fault; nothing is saved then."""
    description = (description or "").strip()
    if not description:
        raise CaseError(_("Describe the problem."), field="description")
    if len(description) > DESCRIPTION_MAX:
        raise CaseError(_("The description may have at most %(n)s characters.") % {"n": DESCRIPTION_MAX},
                        field="description")
    if (lat is None) != (lng is None):
        raise CaseError(_("Give both latitude and longitude, or neither."), field="lat")
    if lat is not None and not point_in_city(lng=lng, lat=lat):
        raise CaseError(_("The location (%(lat)s, %(lng)s) is outside the city.") % {"lat": lat, "lng": lng},
                        field="lat")
    if lat is None and not address.strip() and grid is None:
        raise CaseError(_("Give the location: coordinates, an address or the grid."), field="address")
    if category is not None and (not category.is_leaf or not category.is_active):
        raise CaseError(_("Choose a category of the second level."), field="category")
    if grid is None and lat is not None:
        grid = grid_for_point(lng=lng, lat=lat)
    now = timezone.now()
    return GridCase.objects.create(
        number=_next_number(now), channel=Channel(channel), category=category, urgency=Urgency(urgency),
        description=description, lat=lat, lng=lng, address=address.strip()[:200], grid=grid,
        department=category.department if category else None,
        reporter=reporter if getattr(reporter, "pk", None) else None, reporter_name=reporter_name[:50],
        reporter_phone=reporter_phone[:20], reporter_email=reporter_email, anonymous=anonymous,
        open311_client=open311_client, device_id=device_id[:100], media_url=media_url[:500])
