"""Grid cases (网格化服务管理): grids and their areas, the category tree, and the intake of reports from every channel.
The handling loop (立案 → 派遣 → 处置 → 核查 → 结案 → 评价) builds on these."""
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.attachments.services import image_attachment_create
from apps.core.links import admin_change_url
from apps.core.sequences import day_sequence_next, reference_tail
from apps.deadlines.constants import DeadlineStatus
from apps.deadlines.services import deadline_attach, deadline_complete, deadline_start
from apps.notifications.services import notify
from apps.organizations.constants import Role
from apps.organizations.models import AdminUnit, Department
from apps.organizations.selectors import staff_with_role
from apps.workflow.constants import EntryKind
from apps.workflow.exceptions import TransitionForbidden, TransitionInvalid
from apps.workflow.selectors import case_is_owner
from apps.workflow.services import row_lock, timeline_record, transition_perform
from apps.workflow.spec import Reason

from .constants import DESCRIPTION_MAX, DISPATCH_CENTER, MAX_PHOTOS, STAFF_CHANNEL_ROLES, Channel, RatingLevel, Status, Step, Urgency
from .exceptions import CaseError
from .models import (
    CaseCategory,
    CaseRating,
    CaseSequence,
    CategoryTimeLimit,
    Grid,
    GridCase,
    GridMember,
    Open311Client,
)
from .selectors import (
    case_possible_duplicate,
    category_suggest,
    grid_for_point,
    grids_for_patrol,
    point_in_city,
    staff_report_channels,
)

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
                    limit, unit = row.get("limits", {}).get(f"{step}_{urgency}", (limit, unit))
                    limits.append(CategoryTimeLimit(category=category, urgency=urgency, step=step, limit=limit,
                                                    unit=unit))
            CategoryTimeLimit.objects.bulk_create(limits)
    return leaves


def open311_client_create(*, name: str, api_key: str | None = None) -> Open311Client:
    """Issue an api_key to a machine client (random unless given, e.g. the demo's fixed one)."""
    return Open311Client.objects.create(name=name, api_key=api_key or secrets.token_urlsafe(24))


def _next_number(now) -> str:
    day, n = day_sequence_next(CaseSequence, now)
    return f"WG{day:%Y%m%d}{n:06d}{reference_tail()}"


@transaction.atomic
def case_report(*, channel: str, description: str, lat: float | None = None, lng: float | None = None,
                address: str = "", category: CaseCategory | None = None, grid: Grid | None = None,
                urgency: str = Urgency.NORMAL, reporter=None, reporter_name: str = "", reporter_phone: str = "",
                reporter_email: str = "", anonymous: bool = False, open311_client: Open311Client | None = None,
                device_id: str = "", media_url: str = "", photos=(), entered_by=None) -> GridCase:
    """上报: a report from any channel gets its number; its grid is found from the coordinates (polygon) or is the
    one chosen; its department is the category's; its photos are kept. Raises CaseError naming the field at fault;
    nothing is saved then. A patrol report or a hotline entry is ``entered_by`` a member of staff in that role: a
    grid member reports in their own grids, a hotline operator records the caller's phone."""
    if channel in STAFF_CHANNEL_ROLES:
        if entered_by is None or channel not in staff_report_channels(user=entered_by):
            raise CaseError(_("You may not enter reports through this channel."))
        if channel == Channel.PATROL and grid is not None and not grids_for_patrol(user=entered_by).filter(
                pk=grid.pk).exists():
            raise CaseError(_("Report in one of your own grids."), field="grid")
        if channel == Channel.HOTLINE and not (reporter_phone or "").strip():
            raise CaseError(_("Enter the caller's phone, so that the caller can follow the case."),
                            field="reporter_phone")
    if len(photos) > MAX_PHOTOS:
        raise CaseError(_("At most %(n)s photos.") % {"n": MAX_PHOTOS}, field="photos")
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
    suggested, confidence = (None, None) if category else category_suggest(text=description)
    community = grid.community if grid else None
    now = timezone.now()
    case = GridCase.objects.create(
        suggested_category=suggested, suggestion_confidence=confidence,
        duplicate_of=case_possible_duplicate(category=category or suggested, lat=lat, lng=lng),
        community=community, street=community.parent if community else None,
        district=community.parent.parent if community and community.parent_id else None,
        number=_next_number(now), channel=Channel(channel), category=category, urgency=Urgency(urgency),
        description=description, lat=lat, lng=lng, address=address.strip()[:200], grid=grid,
        department=category.department if category else None,
        reporter=reporter if getattr(reporter, "pk", None) else None, reporter_name=reporter_name[:50],
        reporter_phone=reporter_phone[:20], reporter_email=reporter_email, anonymous=anonymous,
        open311_client=open311_client, device_id=device_id[:100], media_url=media_url[:500],
        dispatch_center=Department.objects.filter(code=DISPATCH_CENTER).first())
    timeline_record(obj=case, actor=reporter, kind=EntryKind.TRANSITION, transition="report",
                    public_label=_("Reported through: %(channel)s") % {"channel": case.get_channel_display()},
                    to_state=Status.REPORTED)
    for photo in photos:
        try:
            image_attachment_create(obj=case, upload=photo, actor=reporter, purpose="report")
        except ValidationError as error:
            raise CaseError(" ".join(error.messages), field="photos") from None
    _clock(case, Step.REGISTER, reporter)
    return case


# --- the loop: 立案 → 派遣 → 处置 → 核查 → 结案 → 评价 (effects run by transition_perform, declared in transitions.py) ----


@dataclass(frozen=True)
class Registration:
    """立案: the category the dispatcher confirms (the suggested one is offered); empty keeps the case's own."""

    category: CaseCategory | None = None


@dataclass(frozen=True)
class Dispatch:
    """派遣: the category (the one given, else the case's) and the handling department (else the category's)."""

    category: CaseCategory | None = None
    department: Department | None = None


@dataclass(frozen=True)
class Handling:
    """处置: the result and the evidence photos (uploads)."""

    result: str = ""
    photos: list = field(default_factory=list)


def _limit(case, step) -> tuple[int, str]:
    row = (CategoryTimeLimit.objects.filter(category_id=case.category_id, urgency=case.urgency, step=step).first()
           if case.category_id else None)
    return (row.limit, row.unit) if row else DEFAULT_LIMITS[Urgency(case.urgency)][Step(step)]


def _clock(case, step, actor):
    """Close the running step's clock and start the next one. An overdue step is told to the dispatch centre's
    dispatchers (one level above the handlers and grid members) by the deadline sweep."""
    if case.current_deadline_id and case.current_deadline.is_open:
        done = deadline_complete(deadline=case.current_deadline, actor=actor)
        if done.status == DeadlineStatus.MISSED:
            case.late_steps += 1  # for the on-time rate (绩效考核)
            case.save(update_fields=["late_steps"])
    deadline = None
    if step is not None:
        limit, unit = _limit(case, step)
        deadline = deadline_start(
            obj=case, stage=str(step), label=str(Step(step).label), unit=unit, limit=limit, due_soon_before=1,
            actor=actor, responsible_department=case.dispatch_center, responsible_role=Role.DISPATCHER,
            url=admin_change_url(case))
    deadline_attach(obj=case, deadline=deadline)


def _require_leaf(category):
    if category is not None and (not category.is_leaf or not category.is_active):
        raise TransitionInvalid(_("Choose a category of the second level."), field="category")


def check_register(*, obj: GridCase, actor, params: Registration):
    _require_leaf(params.category)


def check_dispatch(*, obj: GridCase, actor, params: Dispatch):
    """派遣 needs a category of the second level (the one given or the case's) and a department (given or the
    category's)."""
    _require_leaf(params.category)
    if dispatch_department(case=obj, params=params) is None:
        raise TransitionInvalid(_("Choose the handling department."), field="department")


def dispatch_department(*, case: GridCase, params: Dispatch) -> Department | None:
    """The department a 派遣 with ``params`` sends the case to: the one chosen, else the category's (the one given,
    else the case's); None when neither names one. The one rule: the check, the effect and the 派遣/立案 pages (which
    say where the case will go before the dispatcher confirms) all ask it."""
    if params.department is not None:
        return params.department
    category = params.category or case.category
    return category.department if category is not None and category.department_id else None


def on_register(*, obj: GridCase, actor, params: Registration):
    """立案, then 派遣 at once when the category names the responsible department — the same step the dispatcher's
    button takes, so the case is timed, told and recorded alike (the dispatcher may still send it elsewhere: a
    handler returns a wrongly dispatched case)."""
    case = obj
    if params.category is not None:
        case.category = params.category
        case.save(update_fields=["category"])
    _clock(case, Step.DISPATCH, actor)
    if case.category_id and case.category.department_id:
        transition_perform(actor=actor, obj=case, name="dispatch",
                           internal_note=str(_("Dispatched automatically from the category.")))
        case.refresh_from_db()


def on_dispatch(*, obj: GridCase, actor, params: Dispatch):
    case = obj
    department = dispatch_department(case=case, params=params)
    if params.category is not None:
        case.category = params.category
    case.department = department
    case.save(update_fields=["category", "department"])
    _clock(case, Step.HANDLE, actor)
    notify(recipients=staff_with_role(department=department, role=Role.HANDLER),
           title=_("Grid case to handle: %(number)s") % {"number": case.number},
           body=case.description[:200], url=admin_change_url(case))


def on_return(*, obj: GridCase, actor, params: Reason):
    case = obj
    case.return_count += 1
    case.save(update_fields=["return_count"])
    _clock(case, Step.DISPATCH, actor)
    notify(recipients=staff_with_role(department=case.dispatch_center_id, role=Role.DISPATCHER),
           title=_("Grid case returned: %(number)s") % {"number": case.number}, body=params.reason,
           url=admin_change_url(case))


def on_handle(*, obj: GridCase, actor, params: Handling):
    case = obj
    case.result = params.result
    case.save(update_fields=["result"])
    for photo in params.photos:
        try:
            image_attachment_create(obj=case, upload=photo, actor=actor, purpose="evidence")
        except ValidationError as error:
            raise TransitionInvalid(" ".join(error.messages), field="photo") from None
    _clock(case, Step.VERIFY, actor)
    if case.grid_id:
        notify(recipients=[m.user for m in GridMember.objects.filter(grid_id=case.grid_id).select_related("user")],
               title=_("Grid case to verify on site: %(number)s") % {"number": case.number}, body=case.result[:200],
               url=admin_change_url(case))


def on_close(*, obj: GridCase, actor, params=None):
    case = obj
    case.closed_at = timezone.now()
    case.save(update_fields=["closed_at"])
    _clock(case, None, actor)


def on_reopen(*, obj: GridCase, actor, params=None):
    case = obj
    case.reopen_count += 1
    case.closed_at = None
    case.save(update_fields=["reopen_count", "closed_at"])
    _clock(case, Step.HANDLE, actor)


@transaction.atomic
def case_rate(*, actor, case: GridCase, level: str, comment: str = "") -> CaseRating:
    """评价 by the reporter of a closed case, once; 不满意 reopens it once for another look."""
    case = row_lock(GridCase, case.pk)
    if not case_is_owner(user=actor, obj=case):
        raise TransitionForbidden(_("You may not do this on this case."))
    if case.status != Status.CLOSED or hasattr(case, "rating"):
        raise CaseError(_("Only a closed case can be rated, once."), field="level")
    rating = CaseRating.objects.create(case=case, level=RatingLevel(level), comment=comment.strip()[:1000])
    if rating.level == RatingLevel.DISSATISFIED and not case.rating_reopened:
        case.rating_reopened = True
        case.save(update_fields=["rating_reopened"])
        transition_perform(actor=actor, obj=case, name="reopen", comment=rating.comment)
    return rating
