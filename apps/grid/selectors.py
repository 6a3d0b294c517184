"""Reads of grids, categories and cases."""
import datetime as dt
import logging

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from apps.core.text import segment

from .constants import CITY_BOUNDS, OPEN_STATUSES, CategoryKind, STAFF_CHANNEL_ROLES, Channel, RatingLevel, Status
from .models import CaseCategory, Grid, GridCase, RoutingRule

logger = logging.getLogger(__name__)


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


def _on_segment(p, a, b, eps=1e-12) -> bool:
    cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])
    return (abs(cross) <= eps and min(a[0], b[0]) - eps <= p[0] <= max(a[0], b[0]) + eps
            and min(a[1], b[1]) - eps <= p[1] <= max(a[1], b[1]) + eps)


def _strictly_inside(point, ring) -> bool:
    """Inside the ring and not on its edge (grids that share an edge touch; they do not overlap)."""
    if any(_on_segment(point, ring[i], ring[i + 1]) for i in range(len(ring) - 1)):
        return False
    return _inside_ring(point[0], point[1], ring)


def _crosses(a, b, c, d) -> bool:
    """Segments ab and cd cross at a point inside both (touching or overlapping along a line is not crossing)."""
    def side(p, q, r):
        value = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
        return 0 if abs(value) <= 1e-12 else (1 if value > 0 else -1)

    return side(a, b, c) * side(a, b, d) < 0 and side(c, d, a) * side(c, d, b) < 0


def _inner_point(ring):
    """A point inside the ring: its vertices' mean when that lies inside (a convex grid, the usual case)."""
    points = ring[:-1]
    mean = (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
    return mean if _strictly_inside(mean, ring) else None


def rings_overlap(first, second) -> bool:
    """Whether two outer rings share area: an edge of one crosses an edge of the other, or a point of one lies
    strictly inside the other (a vertex, or an inner point: the same square twice, one inside another)."""
    for i in range(len(first) - 1):
        for j in range(len(second) - 1):
            if _crosses(first[i], first[i + 1], second[j], second[j + 1]):
                return True
    for ring, other in ((first, second), (second, first)):
        candidates = [p[:2] for p in ring[:-1]] + [q for q in [_inner_point(ring)] if q is not None]
        if any(_strictly_inside(point, other) for point in candidates):
            return True
    return False


def grid_overlapping(*, polygon: dict, exclude_pk=None) -> Grid | None:
    """An active grid whose area shares some of ``polygon``'s (a point would belong to two grids): the bounding-box
    index narrows it to the neighbours, then the rings decide."""
    ring = polygon["coordinates"][0]
    min_x, max_x = min(p[0] for p in ring), max(p[0] for p in ring)
    min_y, max_y = min(p[1] for p in ring), max(p[1] for p in ring)
    candidates = Grid.objects.filter(is_active=True, min_lng__lt=max_x, max_lng__gt=min_x, min_lat__lt=max_y,
                                     max_lat__gt=min_y).exclude(pk=exclude_pk).order_by("code")
    for grid in candidates:
        if grid.polygon and rings_overlap(ring, grid.polygon["coordinates"][0]):
            return grid
    return None


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


# Channels whose cases the Open311 GET may list: a grid member's patrol report (staff describing public space) and
# what a GeoReport client posted to the public API. A citizen's 随手拍 is followed only by its reporter (there is no
# "make public" step), a hotline case only by its caller (number + phone), so neither is ever listed.
OPEN311_PUBLIC_CHANNELS = (Channel.PATROL, Channel.OPEN311)


def cases_for_open311() -> QuerySet:
    """The cases the public Open311 GET may answer with (issue 14): the public channels only, and never a report
    marked anonymous. Any other number answers 404, as an unknown one does. What is shown of each is decided by
    ``apps.grid.open311._request`` (category instead of the reporter's words, coarse place)."""
    # 全要素 cases (a dispute, a vulnerable person's care) concern people, not public space: never listed (review
    # finding, issue 17).
    return (GridCase.objects.filter(channel__in=OPEN311_PUBLIC_CHANNELS, anonymous=False)
            .exclude(category__kind=CategoryKind.SOCIAL).exclude(category__parent__kind=CategoryKind.SOCIAL)
            .select_related("category__parent", "department", "community", "street", "district"))


def category_suggest(*, text: str, categories=None) -> tuple[CaseCategory | None, float]:
    """The category the text suggests, by the keyword rules of the categories (editable in the admin), and how sure:
    the share of the matched weight that went to the best category (1.0 = only it matched). Longer keywords weigh
    more; words are matched against jieba's segmentation and the raw text."""
    text = (text or "").strip()
    if not text:
        return None, 0.0
    words = set(segment(text))
    scores = {}
    # ``categories``: the active ones with keywords, fetched once by a caller that asks about many texts.
    for category in (services_active().exclude(keywords="") if categories is None else categories):
        score = 0.0
        for keyword in {k.strip() for k in category.keywords.replace("，", ",").split(",") if k.strip()}:
            if keyword in words or keyword in text:
                score += len(keyword)
        if score:
            scores[category] = score
    if not scores:
        return None, 0.0
    best = max(scores, key=lambda c: (scores[c], -c.pk))
    return best, round(scores[best] / sum(scores.values()), 2)


_compiled: dict = {}  # CategoryModel pk → classifier.Compiled (one model in use: the cache holds one)


def category_model_current():
    """The model in use: the newest version (None before the first training)."""
    from .models import CategoryModel

    return CategoryModel.objects.defer("weights").order_by("-version").first()


def category_suggest_for_report(*, text: str) -> tuple[CaseCategory | None, float, str]:
    """What a new report is offered (ADR 0010): the learned model's best category and its probability, when a model
    learned from at least settings.GRID_CLASSIFIER_MIN_CASES closed cases and its best category is still a leaf in
    use; else the keyword rules (category_suggest). Returns (category, confidence, SuggestionSource or "")."""
    from django.conf import settings

    from . import classifier
    from .constants import SuggestionSource
    from .models import CategoryModel

    model = category_model_current()
    if model is not None and model.n_cases >= settings.GRID_CLASSIFIER_MIN_CASES and (text or "").strip():
        try:
            compiled = _compiled.get(model.pk)
            if compiled is None:
                weights = CategoryModel.objects.values_list("weights", flat=True).get(pk=model.pk)
                compiled = classifier.Compiled(weights)
                _compiled.clear()
                _compiled[model.pk] = compiled
            answer = compiled.probabilities(text)
        except (KeyError, IndexError, TypeError, ValueError):
            # A damaged model never loses a report: it is logged and the keyword rules answer.
            logger.exception("Category model v%s cannot answer; the keyword rules suggest.", model.version)
            answer = {}
        usable = {c.pk: c for c in services_active().filter(pk__in=list(answer), parent__isnull=False)}
        best = max((pk for pk in answer if pk in usable), key=answer.get, default=None)
        if best is not None:
            return usable[best], round(answer[best], 3), SuggestionSource.MODEL
    category, confidence = category_suggest(text=text)
    return category, confidence, SuggestionSource.KEYWORDS if category is not None else ""


def case_possible_duplicate(*, category, lat, lng, days: int = 3, metres: int = 100):
    """An open case of the same category (given or suggested) reported within ``days`` and about ``metres`` of the
    point (a box of ±0.001° ≈ 100 m), newest first; the dispatcher decides whether to merge."""
    if category is None or lat is None:
        return None
    delta = 0.001 * metres / 100
    same = Q(category=category) | Q(category__isnull=True, suggested_category=category)
    qs = GridCase.objects.filter(same, status__in=OPEN_STATUSES, lat__range=(lat - delta, lat + delta),
                                 lng__range=(lng - delta * 1.33, lng + delta * 1.33),
                                 created_at__gte=timezone.now() - dt.timedelta(days=days))
    return qs.order_by("-created_at").first()


STATS_GROUPS = {
    "street": ("street__code", "street__name"),
    "community": ("community__code", "community__name"),
    "grid": ("grid__code", "grid__name"),
    "department": ("department__code", "department__name"),
    "category": ("category__code", "category__name"),
}


def case_stats(*, group: str, start, end, district=None, street=None, community=None) -> list[dict]:
    """绩效考核: per grid, community, street, department or category, for the cases reported in [start, end): cases,
    closed, on-time rate (closed with no step late), return rate, reopen rate, escalated cases and their rate (a step
    that climbed the escalation ladder), satisfaction (satisfied or fairly satisfied among the rated). One grouped query over the case table (indexes on street/department + time)."""
    code, name = STATS_GROUPS[group]
    qs = GridCase.objects.filter(created_at__gte=start, created_at__lt=end)
    for field, value in (("district", district), ("street", street), ("community", community)):
        if value is not None:
            qs = qs.filter(**{field: value})
    closed = Q(status=Status.CLOSED)
    on_time, escalated = Q(late_steps=0), Q(escalations__gt=0)
    if group == "department":
        # A department answers for the cases dispatched to it and for its own step (处置): a late or escalated 立案,
        # a report never dispatched, are the dispatch centre's (review finding).
        qs = qs.filter(dispatched_at__isnull=False)
        on_time, escalated = Q(handling_late_steps=0), Q(handling_escalations__gt=0)
    rows = (qs.values(code, name).annotate(
        cases=Count("id"), closed=Count("id", filter=closed),
        on_time=Count("id", filter=closed & on_time),
        returned=Count("id", filter=Q(return_count__gt=0)), reopened=Count("id", filter=Q(reopen_count__gt=0)),
        rated=Count("rating"), escalated=Count("id", filter=escalated),
        satisfied=Count("rating", filter=Q(rating__level__in=[RatingLevel.SATISFIED, RatingLevel.FAIRLY_SATISFIED])),
    ).order_by(code))

    def rate(part, whole):
        return round(100 * part / whole, 1) if whole else None

    return [{"code": r[code] or "", "name": r[name] or "—", "cases": r["cases"], "closed": r["closed"],
             "on_time_rate": rate(r["on_time"], r["closed"]), "return_rate": rate(r["returned"], r["cases"]),
             "reopen_rate": rate(r["reopened"], r["cases"]), "satisfaction": rate(r["satisfied"], r["rated"]),
             "escalated": r["escalated"], "escalation_rate": rate(r["escalated"], r["cases"]),
             "rated": r["rated"]} for r in rows]



def staff_report_channels(*, user) -> list[str]:
    """The back-office channels ``user`` may enter reports through (a superuser: all)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.is_staff:
        return []
    held = set(user.groups.values_list("name", flat=True))
    return [channel for channel, role in STAFF_CHANNEL_ROLES.items() if user.is_superuser or role in held]


def grids_for_patrol(*, user) -> QuerySet:
    """The grids a member patrols (a superuser: every active grid)."""
    grids = Grid.objects.filter(is_active=True).select_related("community").order_by("code")
    return grids if user.is_superuser else grids.filter(members__user=user)


# --- the back office's queues: the case list's filter (``?queue=<name>``) and the dashboard's count ----------------

def case_queue_conditions() -> dict:
    from django.utils.translation import gettext_lazy

    return {
        "open": (gettext_lazy("To do"), Q(status__in=OPEN_STATUSES)),
        "to_register": (gettext_lazy("To register"), Q(status=Status.REPORTED)),
        "to_dispatch": (gettext_lazy("To dispatch"), Q(status=Status.REGISTERED)),
        "returned": (gettext_lazy("Returned by the handlers"), Q(status=Status.RETURNED)),
        "to_handle": (gettext_lazy("To handle"), Q(status=Status.DISPATCHED)),
        "to_verify": (gettext_lazy("To verify on site"), Q(status=Status.HANDLED)),
        # Each level sees its own: the scoping (transitions._grid_member_visibility) gives a district's command
        # centre the cases escalated to it, the city's those escalated to the city, the dispatch centre all.
        "escalated": (gettext_lazy("Escalated (overdue)"), Q(status__in=OPEN_STATUSES, escalation_level__gt=0)),
        "all": (gettext_lazy("All cases"), None),
    }


def case_list_for_staff(*, user, queryset: QuerySet | None = None) -> QuerySet:
    """The cases a staff user sees: dispatch centre, handling department, own grids (the admin list starts here)."""
    from apps.workflow.selectors import case_queryset_for_staff

    return case_queryset_for_staff(user=user, queryset=GridCase.objects.all() if queryset is None else queryset)


# --- routing: which department handles a case ---------------------------------------------------------------------

def routing_rule_match(*, category, grid_id, street_id, district_id, urgency) -> RoutingRule | None:
    """The first active rule (lowest precedence number) whose category (the leaf, its group, or any), place (the
    case's grid, street, district, or anywhere) and urgency (or any) hold for the case. One query."""
    if category is None:
        return None
    categories = [category.pk] + ([category.parent_id] if category.parent_id else [])
    rules = RoutingRule.objects.filter(
        Q(category__isnull=True) | Q(category_id__in=categories),
        Q(grid__isnull=True) | Q(grid_id=grid_id),
        Q(street__isnull=True) | Q(street_id=street_id),
        Q(district__isnull=True) | Q(district_id=district_id),
        Q(urgency="") | Q(urgency=urgency),
        is_active=True, department__is_active=True)
    return rules.select_related("department", "category", "grid", "street", "district").order_by("priority", "pk").first()


def routing_rules_overlapping(*, rule: RoutingRule, among: list | None = None) -> list:
    """The other active rules of the same precedence that could match a case ``rule`` matches: the same category
    (or one's group holds the other, or either is for every category), places that do not exclude each other, and
    urgencies that do not (either any). Such a pair has no order, so saving the second is refused. ``among``: the
    rules to look at, in memory (routing_rules_load checks a whole file against the table as it will be), instead of
    the table; their grid's community is read."""
    if among is None:
        same = RoutingRule.objects.filter(is_active=True, priority=rule.priority).exclude(pk=rule.pk).select_related(
            "category", "grid__community", "street")
    else:
        same = [other for other in among if other is not rule and other.is_active and other.priority == rule.priority
                and (other.pk is None or other.pk != rule.pk)]
    return [other for other in same if _categories_overlap(rule.category, other.category)
            and _places_overlap(_place_chain(rule), _place_chain(other))
            and (not rule.urgency or not other.urgency or rule.urgency == other.urgency)]


def _categories_overlap(a, b) -> bool:
    if a is None or b is None or a.pk == b.pk:
        return True
    return a.parent_id == b.pk or b.parent_id == a.pk


def _place_chain(rule) -> dict:
    """The rule's place as {level: id} down to where it is set (a grid also names its street and district)."""
    if rule.grid_id:
        community = rule.grid.community
        street = community.parent
        return {"grid": rule.grid_id, "street": community.parent_id, "district": street.parent_id if street else None}
    if rule.street_id:
        return {"street": rule.street_id, "district": rule.street.parent_id}
    if rule.district_id:
        return {"district": rule.district_id}
    return {}


def _places_overlap(a: dict, b: dict) -> bool:
    return all(a[level] == b[level] for level in set(a) & set(b))


def routing_rules_for_admin() -> QuerySet:
    return RoutingRule.objects.select_related("category__parent", "district", "street", "grid", "department")


def staff_for_place(*, units, role):
    """Active staff holding ``role`` in a department of one of the administrative ``units`` (a street office)."""
    from django.contrib.auth import get_user_model

    return (get_user_model().objects.filter(department__admin_unit_id__in=[u for u in units if u], is_active=True,
                                            groups__name=str(role)).distinct().order_by("pk"))


# What the reporter is shown of the case's photos (docs/security.md, "Photos of grid cases"): their own and the
# handlers' result photos; a result photo the handler kept for staff (faces, number plates) is not among them.
REPORTER_PHOTO_PURPOSES = ("report", "evidence")


def case_photos_for_reporter(*, case) -> dict:
    """The reporter's own photos and the handlers' result photos, oldest first, in one query."""
    from apps.attachments.selectors import attachments_for_case

    photos = {"report": [], "evidence": []}
    for attachment in attachments_for_case(obj=case).filter(purpose__in=REPORTER_PHOTO_PURPOSES).order_by("pk"):
        photos[attachment.purpose].append(attachment)
    return photos


# --- the map of grids (issue 17): drawn from their polygons as SVG, no tiles ---------------------------------------

def grid_map_figures(*, district, start, end) -> list[dict]:
    """Each active grid of ``district`` with its area and its figures: open cases now and, for the cases reported in
    [start, end), how many, how many closed and the on-time rate. The cases are read once, grouped by grid, and only
    those that count — open (partial index ``grid_case_district_queue``) or reported in the period (index
    ``grid_case_district_period``) — never the district's whole history (docs/benchmarks.md)."""
    grids = list(Grid.objects.filter(is_active=True, community__parent__parent=district).order_by("code")
                 .values("pk", "code", "name", "polygon", "community__name"))
    is_open = Q(status__in=OPEN_STATUSES)
    period = Q(created_at__gte=start, created_at__lt=end)
    closed = period & Q(status=Status.CLOSED)
    figures = {row["grid_id"]: row for row in GridCase.objects.filter(is_open | period, district=district)
               .values("grid_id").order_by().annotate(
                   open=Count("id", filter=is_open), cases=Count("id", filter=period), closed=Count("id", filter=closed),
                   on_time=Count("id", filter=closed & Q(late_steps=0)))}
    rows = []
    for grid in grids:
        f = figures.get(grid["pk"], {"open": 0, "cases": 0, "closed": 0, "on_time": 0})
        rows.append({"code": grid["code"], "name": grid["name"], "community": grid["community__name"],
                     "polygon": grid["polygon"], "open": f["open"], "cases": f["cases"], "closed": f["closed"],
                     "on_time_rate": round(100 * f["on_time"] / f["closed"], 1) if f["closed"] else None})
    return rows


def map_project(*, rows: list[dict], width: int = 640, points=(), fit_points: bool = False) -> dict:
    """SVG geometry for the grids (and, for staff, case points): an equirectangular projection of the rows' bounding
    box into a ``width``-wide viewBox, north up, longitude scaled by cos(latitude). ``fit_points`` widens the box to
    the points too (the place form's one report point, which lies outside every grid); otherwise a point outside the
    grids' box is left off."""
    import math

    coords = [p for r in rows if r.get("polygon") for ring in r["polygon"]["coordinates"] for p in ring]
    if coords and fit_points:
        coords += [(point["lng"], point["lat"]) for point in points]
    if not coords:
        return {"width": width, "height": 0, "rows": rows, "points": []}
    min_x, max_x = min(p[0] for p in coords), max(p[0] for p in coords)
    min_y, max_y = min(p[1] for p in coords), max(p[1] for p in coords)
    kx = math.cos(math.radians((min_y + max_y) / 2))
    scale = (width - 20) / max((max_x - min_x) * kx, 1e-9)
    height = round((max_y - min_y) * scale) + 20

    def xy(lng, lat):
        return round(10 + (lng - min_x) * kx * scale, 1), round(10 + (max_y - lat) * scale, 1)

    for row in rows:
        rings = (row.get("polygon") or {}).get("coordinates") or []
        row["path"] = " ".join("M" + " L".join(f"{x},{y}" for x, y in (xy(*p[:2]) for p in ring)) + " Z"
                               for ring in rings)
        row["label_x"], row["label_y"] = (xy(*(sum(c) / len(c) for c in zip(*[p[:2] for p in rings[0][:-1]])))
                                          if rings else (0, 0))
    projected = [{**point, "x": xy(point["lng"], point["lat"])[0], "y": xy(point["lng"], point["lat"])[1]}
                 for point in points if min_x <= point["lng"] <= max_x and min_y <= point["lat"] <= max_y]
    return {"width": width, "height": height, "rows": rows, "points": projected}


MAP_FILLS = ((0, "#e6f2ea"), (1, "#fde7b0"), (3, "#f8b26a"), (6, "#d9534f"))  # open cases ≥ n → colour


def map_fill(open_cases: int) -> str:
    fill = MAP_FILLS[0][1]
    for threshold, colour in MAP_FILLS:
        if open_cases >= threshold:
            fill = colour
    return fill


# The on-time rate of the cases of the period that closed (绩效考核's rate): ≥ n % → colour; grey: none closed.
ON_TIME_FILLS = ((0, "#d9534f"), (70, "#f8b26a"), (85, "#fde7b0"), (95, "#bfe3c8"))
NO_FIGURE_FILL = "#e0e0e0"
MAP_MEASURES = ("open", "on_time")


def map_colour(*, rows: list[dict], measure: str) -> None:
    """Colour each grid by ``measure``: its open cases now ("open"), or the on-time rate of the period's closed cases
    ("on_time"), with the words a screen reader says for it (``label``; empty: the template's open-case words)."""
    from django.utils.translation import gettext as _

    for row in rows:
        if measure != "on_time":
            row["fill"], row["label"] = map_fill(row["open"]), ""
            continue
        rate = row["on_time_rate"]
        fill = NO_FIGURE_FILL
        if rate is not None:
            fill = next(colour for threshold, colour in reversed(ON_TIME_FILLS) if rate >= threshold)
        row["fill"] = fill
        row["label"] = (_("%(name)s: on-time rate %(rate)s%%") % {"name": row["name"], "rate": rate}
                        if rate is not None else _("%(name)s: no case closed in the month") % {"name": row["name"]})


def map_legend(measure: str = "open") -> list[tuple[str, str]]:
    """(label, colour) for each colour of the map: open cases "0", "1–2", "3–5", "6+"; or on-time rates."""
    from django.utils.translation import gettext as _

    if measure == "on_time":
        bounds = [t for t, _c in ON_TIME_FILLS]
        labels = [f"<{bounds[1]}%"] + [f"{low}–{high}%" for low, high in zip(bounds[1:], bounds[2:])] + [
            f"≥{bounds[-1]}%"]
        return [(_("none closed"), NO_FIGURE_FILL)] + list(zip(labels, [c for _t, c in ON_TIME_FILLS]))
    bounds = [t for t, _c in MAP_FILLS]
    labels = []
    for i, threshold in enumerate(bounds):
        upper = bounds[i + 1] - 1 if i + 1 < len(bounds) else None
        labels.append(str(threshold) if upper == threshold else f"{threshold}–{upper}" if upper else f"{threshold}+")
    return list(zip(labels, [c for _t, c in MAP_FILLS]))
