"""Reads of grids, categories and cases."""
from django.db.models import QuerySet

from .constants import CITY_BOUNDS
from .models import CaseCategory, Grid, GridCase


def point_in_city(*, lng: float, lat: float) -> bool:
    return (CITY_BOUNDS["min_lng"] <= lng <= CITY_BOUNDS["max_lng"]
            and CITY_BOUNDS["min_lat"] <= lat <= CITY_BOUNDS["max_lat"])


def _inside_ring(lng, lat, ring) -> bool:
    """Ray casting (even-odd rule) on one ring of [lng, lat] points."""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lng < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def polygon_contains(*, polygon: dict, lng: float, lat: float) -> bool:
    """A GeoJSON Polygon holds the point when its outer ring does and none of its holes does."""
    rings = (polygon or {}).get("coordinates") or []
    if not rings or not _inside_ring(lng, lat, rings[0]):
        return False
    return not any(_inside_ring(lng, lat, hole) for hole in rings[1:])


def grid_for_point(*, lng: float, lat: float) -> Grid | None:
    """The active grid whose area holds the point: the bounding-box index narrows it to a few, then the polygon
    decides. None when no grid's area holds it (the dispatcher then chooses)."""
    candidates = Grid.objects.filter(is_active=True, min_lng__lte=lng, max_lng__gte=lng, min_lat__lte=lat,
                                     max_lat__gte=lat).order_by("code")
    for grid in candidates:
        if polygon_contains(polygon=grid.polygon, lng=lng, lat=lat):
            return grid
    return None


def services_active() -> QuerySet:
    """The categories a report may name: active leaves, with their group."""
    return (CaseCategory.objects.filter(is_active=True, parent__isnull=False, parent__is_active=True)
            .select_related("parent", "department").order_by("code"))


def service_get(*, code: str) -> CaseCategory:
    category = services_active().filter(code=code).first()
    if category is None:
        raise CaseCategory.DoesNotExist
    return category


def cases_for_open311() -> QuerySet:
    return GridCase.objects.select_related("category__parent", "department")
