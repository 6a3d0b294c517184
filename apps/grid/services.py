"""Grid cases (网格化服务管理): grids and their areas, the category tree, and the intake of reports from every channel.
The handling loop (立案 → 派遣 → 处置 → 核查 → 结案 → 评价) builds on these."""
import copy
import datetime as dt
import hashlib
import secrets
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.attachments.services import image_attachment_create
from apps.core.links import admin_change_url
from apps.core.sequences import day_sequence_next, reference_tail
from apps.core.upsert import upsert
from apps.deadlines.constants import DeadlineStatus, Unit
from apps.deadlines.services import deadline_attach, deadline_complete, deadline_reassign, deadline_start
from apps.notifications.services import notify
from apps.organizations.constants import Role
from apps.organizations.models import AdminUnit, Department
from apps.organizations.selectors import staff_with_role
from apps.workflow.constants import EntryKind
from apps.workflow.exceptions import TransitionForbidden, TransitionInvalid
from apps.workflow.selectors import actor_has_case_role, case_is_owner
from apps.workflow.services import (case_lock, edit_record, row_lock, step_running, timeline_record,
                                    transition_perform)
from apps.workflow.spec import Reason

from .constants import (
    CITY_COMMAND_CENTER,
    CLASSIFIER_BATCH,
    CLASSIFIER_HELD_OUT_DAYS,
    CLASSIFIER_MAX_CASES,
    CLASSIFIER_MAX_WORDS,
    CLASSIFIER_TRAIN_DAYS,
    COMMAND_CENTERS,
    DEFAULT_ESCALATION_HOURS,
    DESCRIPTION_MAX,
    DISPATCH_CENTER,
    MAX_PHOTOS,
    OPEN_STATUSES,
    STAFF_CHANNEL_ROLES,
    Channel,
    EscalationLevel,
    HourBasis,
    RatingLevel,
    Status,
    Step,
    SuggestionSource,
    Urgency,
)
from .exceptions import CaseError
from .models import (
    CaseCategory,
    CaseRating,
    CaseSequence,
    CategoryModel,
    CategoryTimeLimit,
    Grid,
    GridCase,
    GridMember,
    Open311Client,
    RoutingRule,
)
from .selectors import (
    case_possible_duplicate,
    routing_rule_match,
    routing_rules_overlapping,
    category_suggest,
    category_suggest_for_report,
    grid_for_point,
    grid_overlapping,
    services_active,
    grids_for_patrol,
    staff_for_place,
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
    """Save a grid with its (validated) area and keep the bounding box in step. A grid hangs on a village or community
    (三级网格: 区 › 街道 › 社区 › 网格) and its area may not overlap another grid's; moved to another community, its
    cases' copies of the place move with it in the same transaction (CONVENTIONS 16: statistics, the map, routing
    and the ladder read the copies)."""
    grid_validate(grid=grid, polygon=polygon)
    before = Grid.objects.filter(pk=grid.pk).values_list("community_id", flat=True).first() if grid.pk else None
    grid.save()
    if before is not None and before != grid.community_id:
        street = grid.community.parent
        GridCase.objects.filter(grid=grid).update(community=grid.community, street=street,
                                                  district=street.parent_id)
    return grid


def grid_validate(*, grid: Grid, polygon=None) -> Grid:
    """A grid's rules, checked before it is saved (grid_save, and the admin form that shows what they refuse): it
    hangs on a village or community, its area is a valid polygon (its bounding box kept in step) and shares no area
    with another active grid's. Raises CaseError naming the field."""
    community = grid.community
    if community is None or community.level != "village" or community.parent_id is None:
        raise CaseError(_("A grid belongs to a village or community (choose one under its street)."),
                        field="community")
    _grid_area_set(grid, polygon=polygon)
    if grid.polygon and grid.is_active and (
            other := grid_overlapping(polygon=grid.polygon, exclude_pk=grid.pk)) is not None:
        # A point belongs to one grid: its members verify, its figures count it.
        raise CaseError(_("The area overlaps the grid %(grid)s: a place belongs to one grid.") % {"grid": other},
                        field="polygon")
    return grid


def _grid_area_set(grid: Grid, *, polygon=None) -> None:
    """The validated area and its bounding box, in memory (grid_save and the loader's bulk write)."""
    if polygon is not None:
        grid.polygon = polygon_validate(polygon)
    if grid.polygon:
        grid.min_lng, grid.min_lat, grid.max_lng, grid.max_lat = _bbox(grid.polygon)
    else:
        grid.min_lng = grid.min_lat = grid.max_lng = grid.max_lat = None


@transaction.atomic
def grids_load(*, rows: list[dict]) -> int:
    """Grids with their areas (idempotent by code): reference and demo data, written in bulk — no overlap check and
    no move of cases' copies (a grid is moved, or drawn over another, in the admin, through grid_save)."""
    communities = {u.code: u for u in AdminUnit.objects.filter(code__in={r["community"] for r in rows})}
    rows_by_code = {}
    for row in rows:  # a later row of the same code wins, as successive saves did
        grid = Grid(code=row["code"], name=row["name"], community=communities[row["community"]])
        _grid_area_set(grid, polygon=row.get("polygon"))
        rows_by_code[row["code"]] = {name: getattr(grid, name) for name in (
            "code", "name", "community", "polygon", "min_lng", "min_lat", "max_lng", "max_lat")}
    # The polygons are validated above, before anything is written; then one read, one insert, changed rows updated.
    upsert(Grid, key="code", rows=list(rows_by_code.values()))
    return len(rows)


@transaction.atomic
def categories_load(*, groups: list[dict]) -> int:
    """The two-level category tree; a category that exists keeps the department and limits set in the admin."""
    departments = {d.code: d for d in Department.objects.all()}
    group_by_code = upsert(CaseCategory, key="code", update=False, rows=[
        {"code": row["code"], "name": row["name"], "kind": row["kind"]} for row in groups])
    leaf_rows = [(group_row, row) for group_row in groups for row in group_row["children"]]
    existing = set(CaseCategory.objects.filter(code__in=[row["code"] for _g, row in leaf_rows])
                   .values_list("code", flat=True))
    leaves = upsert(CaseCategory, key="code", update=False, rows=[
        {"code": row["code"], "name": row["name"], "kind": group_row["kind"], "parent": group_by_code[group_row["code"]],
         "department": departments[row["department"]], "keywords": row.get("keywords", "")}
        for group_row, row in leaf_rows])
    limits = []
    for _group_row, row in leaf_rows:
        if row["code"] in existing:
            continue  # its limits are the admin's (or this code's first row made them)
        existing.add(row["code"])
        for urgency, steps in DEFAULT_LIMITS.items():
            for step, (limit, unit) in steps.items():
                limit, unit = row.get("limits", {}).get(f"{step}_{urgency}", (limit, unit))
                limits.append(CategoryTimeLimit(category=leaves[row["code"]], urgency=urgency, step=step,
                                                limit=limit, unit=unit))
    CategoryTimeLimit.objects.bulk_create(limits)
    return len(leaf_rows)


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
        if (channel == Channel.PATROL and grid is not None
                and not grids_for_patrol(user=entered_by).filter(pk=grid.pk).exists()):
            # The point decides the grid as the choice does (review finding): a patrol stays in the member's grids.
            raise CaseError(_("Report in one of your own grids."), field="grid")
    suggested, confidence, source = ((None, None, "") if category
                                     else category_suggest_for_report(text=description))
    community = grid.community if grid else None
    now = timezone.now()
    case = GridCase(
        suggested_category=suggested, suggestion_confidence=confidence, suggestion_source=source,
        duplicate_of=case_possible_duplicate(category=category or suggested, lat=lat, lng=lng),
        community=community, street=community.parent if community else None,
        district=community.parent.parent if community and community.parent_id else None,
        number=_next_number(now), channel=Channel(channel), category=category, urgency=Urgency(urgency),
        description=description, lat=lat, lng=lng, address=address.strip()[:200], grid=grid,
        reporter=reporter if getattr(reporter, "pk", None) else None, reporter_name=reporter_name[:50],
        reporter_phone=reporter_phone[:20], reporter_email=reporter_email, anonymous=anonymous,
        open311_client=open311_client, device_id=device_id[:100], media_url=media_url[:500],
        dispatch_center=Department.objects.filter(code=DISPATCH_CENTER).first())
    # Until it is dispatched, the department the rules would send it to sees it coming (its queue, its handlers) —
    # when it can be known: a case placed nowhere waits for its place (route_is_automatic).
    route = dispatch_route(case=case, params=Dispatch())
    case.department = route.department if route_is_automatic(case=case, route=route) else None
    case.save()
    timeline_record(obj=case, actor=reporter, kind=EntryKind.TRANSITION, transition="report",
                    public_label=_("Reported through: %(channel)s") % {"channel": case.get_channel_display()},
                    to_state=Status.REPORTED)
    for photo in photos:
        try:
            image_attachment_create(obj=case, upload=photo, actor=reporter, purpose="report")
        except ValidationError as error:
            raise CaseError(" ".join(error.messages), field="photos") from None
    _clock(case, Step.REGISTER, reporter)
    if _auto_dispatchable(case):
        # The report is the step that runs 立案 here (run_by "grid.gridcase.report"), as a signed commitment's
        # submission runs its decision on the spot: no person acts, so the timeline names no actor.
        with step_running(model=GridCase, name="report"):
            case = transition_perform(
                actor=None, obj=case, name="register_auto", params=Registration(category=suggested),
                internal_note=str(_("Registered and dispatched without the dispatcher: the learned model places "
                                    "the report in %(category)s with probability %(p)s (threshold %(t)s).")
                                  % {"category": suggested, "p": f"{confidence:.2f}",
                                     "t": f"{settings.GRID_AUTO_DISPATCH_CONFIDENCE:.2f}"}))
        case.refresh_from_db()
    return case


def _auto_dispatchable(case: GridCase) -> bool:
    """Whether a new report goes straight to its department (ADR 0010): the learned model (not the keyword rules,
    whose score is a share of matched words, not a probability) is at least settings.GRID_AUTO_DISPATCH_CONFIDENCE
    sure, the routing finds a department for that category and place, and the report is not a possible duplicate
    (the dispatcher merges those)."""
    if (case.category_id or case.suggestion_source != SuggestionSource.MODEL or case.duplicate_of_id
            or (case.suggestion_confidence or 0) < settings.GRID_AUTO_DISPATCH_CONFIDENCE):
        return False
    return route_is_automatic(case=case, route=dispatch_route(case=case, params=Dispatch(
        category=case.suggested_category)))


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
    # The photos show faces or number plates that could not be kept out of the frame: kept for staff, not shown to
    # the reporter (docs/security.md).
    staff_only: bool = False


def _limit(case, step) -> tuple[int, str]:
    """The step's limit for the case's category and urgency; hours are working hours (工作时) when the category
    counts them so (CaseCategory.hour_basis, issue 17 item 8)."""
    row = (CategoryTimeLimit.objects.filter(category_id=case.category_id, urgency=case.urgency, step=step)
           .select_related("category").first() if case.category_id else None)
    limit, unit = (row.limit, row.unit) if row else DEFAULT_LIMITS[Urgency(case.urgency)][Step(step)]
    if unit == Unit.HOURS and row is not None and row.category.hour_basis == HourBasis.WORKING:
        unit = Unit.WORKING_HOURS
    return limit, unit


def _responsible(case, step) -> dict:
    """Whose step it is, told by the deadline sweep when it is due soon (and, with their department head, when it is
    overdue; the escalation ladder then tells the dispatch centre, the district and the city): the dispatch
    centre's dispatchers for 立案 and 派遣, the handling department's handlers for 处置, the grid's member for 核查
    (or, for a case placed in a community without a grid, the grid staff of its street's or community's office)."""
    if step == Step.HANDLE and case.department_id:
        return {"responsible_department": case.department, "responsible_role": Role.HANDLER}
    if step == Step.VERIFY:
        if case.grid_id:
            member = (GridMember.objects.filter(grid_id=case.grid_id, user__is_active=True)
                      .select_related("user").order_by("kind", "pk").first())  # full_time before part_time
            if member is not None:
                return {"responsible_user": member.user, "responsible_department": member.user.department,
                        "responsible_role": Role.GRID_MEMBER}
        units = [u for u in (case.community_id, case.street_id) if u]
        office = Department.objects.filter(admin_unit_id__in=units, is_active=True).order_by("-admin_unit__level").first()
        if office is not None:
            return {"responsible_department": office, "responsible_role": Role.GRID_MEMBER}
    return {"responsible_department": case.dispatch_center, "responsible_role": Role.DISPATCHER}


def _clock(case, step, actor):
    """Close the running step's clock and start the next one (off the escalation ladder: a new step starts at its
    foot). Whom the sweep tells is the step's responsible (``_responsible``)."""
    if case.current_deadline_id and case.current_deadline.is_open:
        done = deadline_complete(deadline=case.current_deadline, actor=actor)
        if done.status == DeadlineStatus.MISSED:
            case.late_steps += 1  # for the on-time rate (绩效考核)
            fields = ["late_steps"]
            if done.stage == Step.HANDLE:  # the department's own step (its row of 绩效考核)
                case.handling_late_steps += 1
                fields.append("handling_late_steps")
            case.save(update_fields=fields)
    deadline = None
    if step is not None:
        limit, unit = _limit(case, step)
        deadline = deadline_start(
            obj=case, stage=str(step), label=str(Step(step).label), unit=unit, limit=limit, due_soon_before=1,
            actor=actor, url=admin_change_url(case), **_responsible(case, step))
    case.escalation_level = EscalationLevel.NONE
    deadline_attach(obj=case, deadline=deadline, update_fields=["escalation_level"])


# --- the escalation ladder (issue 17), run by the deadline sweep through WorkflowSpec.escalation ------------------

def escalation_delays() -> list:
    """How long after the due moment an overdue step climbs to the district's command centre, then the city's."""
    from django.conf import settings

    hours = getattr(settings, "GRID_ESCALATION_HOURS", DEFAULT_ESCALATION_HOURS)
    return [dt.timedelta(hours=h) for h in hours]


def cases_escalated(*, items, now) -> None:
    """The sweep's batch of grid clocks that climbed a rung (case, deadline, old level, new level): the case's copy
    of the level and its count of escalations (绩效考核) in one UPDATE per rung, a line on each case's timeline, and
    a message to each level reached — the dispatch centre (the head is in the sweep's own overdue message), the
    district's command centre, the city's. A fixed number of queries per batch, whatever its size."""
    from collections import defaultdict

    from django.db.models import F

    from apps.notifications.services import Message, notify_many
    from apps.workflow.services import timeline_record_system

    groups = defaultdict(list)
    for case, deadline, old, new in items:
        groups[(new, new - old, deadline.stage == Step.HANDLE)].append(case.pk)
    for (level, climbed, handling), pks in groups.items():
        # A climb of the handling step is also the department's (its row of 绩效考核); 立案 and 派遣 are the
        # dispatch centre's.
        GridCase.objects.filter(pk__in=pks).update(
            escalation_level=level, escalations=F("escalations") + climbed,
            handling_escalations=F("handling_escalations") + (climbed if handling else 0))
    districts = dict(AdminUnit.objects.filter(pk__in={c.district_id for c, *_r in items if c.district_id})
                     .values_list("pk", "code"))
    centre_codes = {DISPATCH_CENTER, CITY_COMMAND_CENTER, *COMMAND_CENTERS.values()}
    centres = {d.pk: d for d in Department.objects.filter(code__in=centre_codes)}
    by_code = {d.code: d for d in centres.values()}
    staff = defaultdict(list)
    for user in get_user_model().objects.filter(department_id__in=list(centres), is_active=True,
                                                is_staff=True).prefetch_related("groups"):
        staff[user.department_id].append(user)
    entries, messages = [], []
    for case, deadline, old, new in items:
        for level in range(max(old, 1), new + 1):
            if level == old:
                continue
            if level == EscalationLevel.OVERDUE:
                centre = centres.get(case.dispatch_center_id)
                people = [u for u in staff.get(case.dispatch_center_id, [])
                          if any(g.name == Role.DISPATCHER for g in u.groups.all())]
            else:
                code = (COMMAND_CENTERS.get(districts.get(case.district_id)) if level == EscalationLevel.DISTRICT
                        else None) or CITY_COMMAND_CENTER
                centre = by_code.get(code)
                people = staff.get(centre.pk, []) if centre is not None else []
            text = _("%(step)s overdue since %(due)s: escalated to %(level)s%(centre)s.") % {
                "step": deadline.label, "due": timezone.localtime(deadline.due_at).strftime("%Y-%m-%d %H:%M"),
                "level": EscalationLevel(level).label, "centre": f"（{centre}）" if centre is not None else ""}
            entries.append((case, EntryKind.DEADLINE, text[:200]))
            messages.append(Message(people, _("Escalated grid case: %(number)s") % {"number": case.number},
                                    f"{case.number}：{text}", deadline.url))
    timeline_record_system(entries=entries)
    notify_many(messages=messages)


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


@dataclass(frozen=True)
class Route:
    """Where a 派遣 sends a case and why: the department, the routing rule that chose it (if one did) and the line
    kept on the case ("which rule sent this case here")."""

    department: Department | None
    rule: RoutingRule | None = None
    note: str = ""


def dispatch_route(*, case: GridCase, params: Dispatch) -> Route:
    """The department a 派遣 with ``params`` sends the case to, and why: the one the dispatcher chose; else the first
    routing rule over the category (the one given, else the case's) × the case's place × its urgency; else the
    category's own department; else none. The one rule: the report, the check, the effect and the 派遣/立案 pages
    (which say where the case will go before the dispatcher confirms) all ask it."""
    if params.department is not None:
        return Route(params.department, None, _("Chosen by the dispatcher: %(department)s.")
                     % {"department": params.department})
    category = params.category or case.category
    if category is None:
        return Route(None)
    rule = routing_rule_match(category=category, grid_id=case.grid_id, street_id=case.street_id,
                              district_id=case.district_id, urgency=case.urgency)
    if rule is not None:
        return Route(rule.department, rule, _("Routing rule “%(rule)s” (precedence %(priority)s: %(scope)s) → "
                                              "%(department)s.") % {"rule": rule.name, "priority": rule.priority,
                                                                    "scope": routing_rule_scope(rule=rule),
                                                                    "department": rule.department})
    if category.department_id:
        return Route(category.department, None, _("No routing rule matches: the department of the category "
                                                  "%(category)s → %(department)s.")
                     % {"category": category, "department": category.department})
    return Route(None)


def route_is_automatic(*, case: GridCase, route: Route) -> bool:
    """Whether 立案 (or the report itself) may dispatch along ``route`` with no dispatcher: a routing rule chose it,
    or the case has its place, or the department serves the whole city. A case placed nowhere whose category names
    a district's bureau waits for the dispatcher to place it — else an address-only call about 双台子区 would go to
    兴隆台区's bureau, the category's (review finding, ADR 0006)."""
    if route.department is None:
        return False
    if route.rule is not None or case.district_id is not None:
        return True
    unit = route.department.admin_unit
    return unit is not None and unit.level == "city"


def dispatch_department(*, case: GridCase, params: Dispatch) -> Department | None:
    """The department of ``dispatch_route`` (what the 派遣/立案 pages and the check ask)."""
    return dispatch_route(case=case, params=params).department


def routing_rule_scope(*, rule: RoutingRule) -> str:
    """A rule's conditions in words: category × place × urgency."""
    parts = [str(rule.category) if rule.category_id else _("every category"),
             str(rule.place) if rule.place is not None else _("the whole city")]
    if rule.urgency:
        parts.append(_("only %(urgency)s cases") % {"urgency": Urgency(rule.urgency).label})
    return " × ".join(parts)


def routing_rule_validate(*, rule: RoutingRule, among: list | None = None) -> RoutingRule:
    """A rule the router can use: it sends somewhere (an active department), names at most one place of the right
    level, a category that is in use, and no other active rule of the same precedence could match the same case
    (of the table, or of ``among``: see routing_rules_overlapping). Raises CaseError naming the field at fault."""
    if rule.department_id is None:
        raise CaseError(_("A rule must name the department it sends cases to."), field="department")
    if not rule.department.is_active:
        raise CaseError(_("The department %(department)s is not active: the rule would send cases nowhere.")
                        % {"department": rule.department}, field="department")
    places = [name for name in ("district", "street", "grid") if getattr(rule, f"{name}_id")]
    if len(places) > 1:
        raise CaseError(_("Name one place: a district, a street or a grid (a street lies in its district)."),
                        field=places[1])
    if rule.district_id and rule.district.level != "county":
        raise CaseError(_("Choose a district or county."), field="district")
    if rule.street_id and rule.street.level != "township":
        raise CaseError(_("Choose a township or street."), field="street")
    if rule.category_id and not rule.category.is_active:
        raise CaseError(_("The category is not in use."), field="category")
    if rule.is_active:
        clash = routing_rules_overlapping(rule=rule, among=among)
        if clash:
            raise CaseError(_("The rule “%(other)s” has the same precedence (%(priority)s) and may match the same "
                              "cases: give one of them another number.") % {"other": clash[0].name,
                                                                          "priority": rule.priority},
                            field="priority")
    return rule


@transaction.atomic
def routing_rule_save(*, rule: RoutingRule) -> RoutingRule:
    routing_rule_validate(rule=rule)
    rule.save()
    return rule


@transaction.atomic
def routing_rules_load(*, rows: list[dict]) -> int:
    """Routing rules (idempotent by name); a row with ``categories`` is one rule per category or group.

    Each rule is validated as routing_rule_save validates it, against the table as the row-by-row saves would have
    left it when its turn came (the rules of the file before it with their new values, the others as they are), but in
    memory: then the new rules are written in one statement and only the rules that changed are updated (this runs in
    load_demo and in every grid test's world)."""
    departments = {d.code: d for d in Department.objects.all()}
    units = {u.code: u for u in AdminUnit.objects.filter(level__in=["county", "township"])}
    categories = {c.code: c for c in CaseCategory.objects.all()}
    grids = Grid.objects.select_related("community__parent").in_bulk(
        [row["grid"] for row in rows if row.get("grid")], field_name="code")
    table = {}  # key → the rule as the table holds it at this point of the load
    by_name = {}  # name → key of the first rule of that name (RoutingRule's ordering), as .filter(name=).first()
    for rule in RoutingRule.objects.select_related("category", "grid__community__parent", "street").order_by(
            "priority", "pk"):
        table[rule.pk] = rule
        by_name.setdefault(rule.name, rule.pk)
    fields = ("priority", "category", "urgency", "district", "street", "grid", "department")
    changed = {}  # key → True, in the file's order (new rules get their ids, hence their ties' order, in it)
    count = 0
    for row in rows:
        codes = row.get("categories") or [row.get("category")]
        for code in codes:
            category = categories[code] if code else None
            # Two groups may share a name (市容环境 部件 and 事件): the code keeps the rules apart.
            name = f"{row['name']}：{category.name}（{category.code}）" if len(codes) > 1 else row["name"]
            key = by_name.get(name)
            if key is None:
                key = by_name[name] = ("new", count)
                rule = RoutingRule(name=name)
            else:
                rule = copy.copy(table[key])  # the table keeps the old values while this one is checked
            rule.priority, rule.category, rule.urgency = row["priority"], category, row.get("urgency", "")
            rule.district = units[row["district"]] if row.get("district") else None
            rule.street = units[row["street"]] if row.get("street") else None
            if row.get("grid") and row["grid"] not in grids:
                raise Grid.DoesNotExist(f"Grid {row['grid']} does not exist.")
            rule.grid = grids[row["grid"]] if row.get("grid") else None
            rule.department = departments[row["department"]]
            routing_rule_validate(rule=rule, among=[other for k, other in table.items() if k != key])
            if rule.pk is None or any(getattr(rule, RoutingRule._meta.get_field(f).attname)
                                      != getattr(table[key], RoutingRule._meta.get_field(f).attname) for f in fields):
                changed[key] = True
            table[key] = rule
            count += 1
    new = [table[key] for key in changed if table[key].pk is None]
    updated = [table[key] for key in changed if table[key].pk is not None]  # before the insert gives the new ids
    if new:
        RoutingRule.objects.bulk_create(new)
    if updated:
        RoutingRule.objects.bulk_update(updated, list(fields))
    return count


def on_register(*, obj: GridCase, actor, params: Registration):
    """立案, then 派遣 at once when the category names the responsible department — the same step the dispatcher's
    button takes, so the case is timed, told and recorded alike (the dispatcher may still send it elsewhere: a
    handler returns a wrongly dispatched case)."""
    case = obj
    if params.category is not None:
        case.category = params.category
        case.save(update_fields=["category"])
    _clock(case, Step.DISPATCH, actor)
    route = dispatch_route(case=case, params=Dispatch())
    if route_is_automatic(case=case, route=route):
        transition_perform(actor=actor, obj=case, name="dispatch",
                           internal_note=str(_("Dispatched automatically by the routing rules.")))
        case.refresh_from_db()


def on_register_auto(*, obj: GridCase, actor, params: Registration):
    """立案 run by the report itself (ADR 0010): the category the model chose, then 派遣 by the routing rules — the
    same effects as the dispatcher's buttons, so the case is timed, told and recorded alike."""
    case = obj
    case.category = params.category
    case.save(update_fields=["category"])
    _clock(case, Step.DISPATCH, actor)
    transition_perform(actor=actor, obj=case, name="dispatch_auto",
                       internal_note=str(_("Dispatched automatically by the routing rules.")))


def on_dispatch(*, obj: GridCase, actor, params: Dispatch):
    case = obj
    route = dispatch_route(case=case, params=params)
    department = route.department
    if params.category is not None:
        case.category = params.category
    case.department, case.routing_rule, case.routing_note = department, route.rule, route.note[:300]
    case.dispatched_at = case.dispatched_at or timezone.now()
    case.save(update_fields=["category", "department", "routing_rule", "routing_note", "dispatched_at"])
    # "Which rule sent this case here", on the staff timeline beside the 派遣 entry (an edit: not on the reporter's).
    timeline_record(obj=case, actor=actor, kind=EntryKind.EDIT, public_label=_("Routing"),
                    internal_note=route.note, data={"routing_rule": route.rule.pk if route.rule else None,
                                                    "department": department.pk})
    _clock(case, Step.HANDLE, actor)
    notify(recipients=staff_with_role(department=department, role=Role.HANDLER),
           title=_("Grid case to handle: %(number)s") % {"number": case.number},
           body=case.description[:200], url=admin_change_url(case))


@transaction.atomic
def case_place(*, actor, case: GridCase, grid: Grid | None = None, community: AdminUnit | None = None) -> GridCase:
    """Place an open case the report could not place (an address-only 随手拍, a hotline call, a place without grids
    yet): the dispatcher chooses its grid from the tree, or — where the community has no grid — the community, whose
    street's staff then verify it. The copies of the place (community, street, district) move with it; before 立案
    the department the rules name moves too. Raises TransitionForbidden (not the case's dispatcher) or CaseError."""
    if not actor_has_case_role(user=actor, obj=case, roles={Role.DISPATCHER}):
        raise TransitionForbidden(_("You may not do this on this case."))
    if (grid is None) == (community is None):
        raise CaseError(_("Choose the grid, or the community when it has no grid yet."), field="grid")
    if grid is not None and not grid.is_active:
        raise CaseError(_("This grid is not active."), field="grid")
    community = grid.community if grid is not None else community
    if community.level != "village" or community.parent_id is None:
        raise CaseError(_("Choose a village or community."), field="community")
    case = case_lock(case)
    if case.status not in OPEN_STATUSES:
        raise CaseError(_("Only an open case can be placed."), field="grid")
    before = (case.grid, case.community)
    street = community.parent
    case.grid, case.community, case.street, case.district = grid, community, street, street.parent
    fields = ["grid", "community", "street", "district"]
    route = dispatch_route(case=case, params=Dispatch())
    if case.status in (Status.REPORTED, Status.REGISTERED):
        case.department = route.department
        fields.append("department")
    case.save(update_fields=[*fields, "updated_at"])
    edit_record(actor=actor, obj=case, changes={"grid": (before[0] or "—", grid or "—"),
                                                "community": (before[1] or "—", community)},
                internal_note=_("Placed by the dispatcher."))
    if case.status == Status.REGISTERED and route_is_automatic(case=case, route=route):
        # Registered, it waited only for its place (on_register): 派遣 follows as it would have on 立案.
        case = transition_perform(actor=actor, obj=case, name="dispatch",
                                  internal_note=str(_("Dispatched automatically by the routing rules.")))
    if case.status == Status.HANDLED:
        # The verification clock is now the grid member's (or the street's grid staff's): due-soon and overdue go to
        # them, not to the dispatch centre (review finding).
        if case.current_deadline_id and case.current_deadline.is_open:
            deadline_reassign(deadline=case.current_deadline, **_responsible(case, Step.VERIFY))
        _notify_verifiers(case)
    return case


def _notify_verifiers(case):
    """Who checks the result on site: the grid's members, or — for a case placed in a community without a grid —
    the grid staff of the community's and the street's offices."""
    if case.grid_id:
        people = [m.user for m in GridMember.objects.filter(grid_id=case.grid_id).select_related("user")]
    else:
        people = list(staff_for_place(units=[case.community_id, case.street_id], role=Role.GRID_MEMBER))
    notify(recipients=people, title=_("Grid case to verify on site: %(number)s") % {"number": case.number},
           body=case.result[:200], url=admin_change_url(case))


def on_return(*, obj: GridCase, actor, params: Reason):
    case = obj
    case.return_count += 1
    case.save(update_fields=["return_count"])
    _clock(case, Step.DISPATCH, actor)
    notify(recipients=staff_with_role(department=case.dispatch_center_id, role=Role.DISPATCHER),
           title=_("Grid case returned: %(number)s") % {"number": case.number}, body=params.reason,
           url=admin_change_url(case))


def on_recall(*, obj: GridCase, actor, params: Reason):
    """收回: the dispatch centre takes back a dispatched case nobody is handling (a department with no handler on
    duty, a wrong department that does not return it) to dispatch it again. The handling department is told; the
    return count (charged to a department that returns) is not touched."""
    case = obj
    _clock(case, Step.DISPATCH, actor)
    notify(recipients=staff_with_role(department=case.department_id, role=Role.HANDLER),
           title=_("Grid case taken back by the dispatch centre: %(number)s") % {"number": case.number},
           body=params.reason, url=admin_change_url(case))


def on_handle(*, obj: GridCase, actor, params: Handling):
    case = obj
    case.result = params.result
    case.save(update_fields=["result"])
    for photo in params.photos:
        try:
            image_attachment_create(obj=case, upload=photo, actor=actor,
                                    purpose="evidence_staff_only" if params.staff_only else "evidence")
        except ValidationError as error:
            raise TransitionInvalid(" ".join(error.messages), field="photo") from None
    _clock(case, Step.VERIFY, actor)
    _notify_verifiers(case)


def on_close(*, obj: GridCase, actor, params=None):
    case = obj
    case.closed_at = timezone.now()
    case.save(update_fields=["closed_at"])
    _clock(case, None, actor)


def on_reopen(*, obj: GridCase, actor, params=None):
    case = obj
    case.reopen_count += 1
    case.closed_at = None
    if case.department_id is None:
        # Closed by the dispatch centre before any department had it (a policy question answered at once): it goes
        # back to the department the rules name, else to the dispatch centre itself.
        case.department = dispatch_route(case=case, params=Dispatch()).department or case.dispatch_center
    case.save(update_fields=["reopen_count", "closed_at", "department"])
    _clock(case, Step.HANDLE, actor)


@transaction.atomic
def case_rate(*, actor, case: GridCase, level: str, comment: str = "") -> CaseRating:
    """评价 by the reporter of a closed case, once; 不满意 reopens it once for another look."""
    case = row_lock(GridCase, case.pk)
    if not case_is_owner(user=actor, obj=case):
        raise TransitionForbidden(_("You may not do this on this case."))
    return _rate(case, level, comment, reopen=lambda text: transition_perform(
        actor=actor, obj=case, name="reopen", comment=text))


@transaction.atomic
def case_rate_by_phone(*, case: GridCase, phone: str, level: str, comment: str = "") -> CaseRating:
    """评价 by a caller without an account (a hotline call, an Open311 client's resident): the case number and the
    phone they gave stand for the login, as on the lookup page; 不满意 reopens it once, as the reporter's does
    (the step ``reopen_by_phone`` runs inside this one). Raises TransitionForbidden when the phone does not match."""
    case = row_lock(GridCase, case.pk)
    phone = (phone or "").strip()
    if case.reporter_id is not None or not phone or case.reporter_phone != phone:
        raise TransitionForbidden(_("You may not do this on this case."))

    def reopen(text):
        with step_running(model=GridCase, name="rate_by_phone"):
            transition_perform(actor=None, obj=case, name="reopen_by_phone", comment=text)

    return _rate(case, level, comment, reopen=reopen)


def _rate(case, level, comment, *, reopen) -> CaseRating:
    if case.status != Status.CLOSED or hasattr(case, "rating"):
        raise CaseError(_("Only a closed case can be rated, once."), field="level")
    rating = CaseRating.objects.create(case=case, level=RatingLevel(level), comment=(comment or "").strip()[:1000])
    if rating.level == RatingLevel.DISSATISFIED and not case.rating_reopened:
        case.rating_reopened = True
        case.save(update_fields=["rating_reopened"])
        reopen(rating.comment)
    return rating


# --- the learning classifier (issue 17 item 6, ADR 0010) -----------------------------------------------------------


def _training_rows(*, since, limit: int) -> list[tuple[int, str, int, dt.datetime]]:
    """(id, description, final category id, closed_at) of the cases closed since ``since`` with a category, newest
    closing first, at most ``limit``: read in keyset batches over (closed_at, id), so that no one query holds a year
    of cases. The final category is the one the dispatcher left: their corrections are what the model learns."""
    rows, last = [], None
    base = (GridCase.objects.filter(status=Status.CLOSED, closed_at__gte=since, category__isnull=False)
            .order_by("-closed_at", "-id"))
    while len(rows) < limit:
        query = base
        if last is not None:
            query = query.filter(Q(closed_at__lt=last[0]) | Q(closed_at=last[0], id__lt=last[1]))
        batch = list(query.values_list("id", "description", "category_id", "closed_at")
                     [:min(CLASSIFIER_BATCH, limit - len(rows))])
        if not batch:
            break
        rows.extend(batch)
        last = (batch[-1][3], batch[-1][0])
    return rows


def category_model_train(*, now: dt.datetime | None = None, force: bool = False) -> CategoryModel | None:
    """Learn the category from the text of the cases closed in the last CLASSIFIER_TRAIN_DAYS (at most
    CLASSIFIER_MAX_CASES): first fitted without the last CLASSIFIER_HELD_OUT_DAYS and measured on them (beside the
    keyword rules on the same cases), then fitted on all and stored as a new version. The one door of the beat task,
    the management command and the admin's button. Idempotent: when the cases and their categories are those of the
    current model, nothing is written and the current model is returned. None when there is nothing to learn (fewer
    than two categories)."""
    from . import classifier

    now = now or timezone.now()
    rows = _training_rows(since=now - dt.timedelta(days=CLASSIFIER_TRAIN_DAYS), limit=CLASSIFIER_MAX_CASES)
    digest = hashlib.sha256(
        ";".join(f"{pk}:{category}" for pk, _text, category, _at in sorted(rows)).encode()).hexdigest()
    current = CategoryModel.objects.order_by("-version").first()
    if current is not None and current.data_digest == digest and not force:
        return current
    if len({category for _pk, _text, category, _at in rows}) < 2:
        return None
    cut = now - dt.timedelta(days=CLASSIFIER_HELD_OUT_DAYS)
    older = [r for r in rows if r[3] < cut]
    recent = [r for r in rows if r[3] >= cut]
    accuracy = keyword_accuracy = None
    words = {pk: classifier.tokens(text) for pk, text, _category, _at in rows}  # jieba once per case
    if recent and len({r[2] for r in older}) >= 2:
        held = classifier.Compiled(classifier.fit(words=[words[r[0]] for r in older], labels=[r[2] for r in older],
                                                  max_words=CLASSIFIER_MAX_WORDS))
        keyword_categories = list(services_active().exclude(keywords=""))
        hits = keyword_hits = 0
        for pk, text, category, _at in recent:
            answer = held.probabilities(text, words=words[pk])
            hits += max(answer, key=answer.get) == category
            guess, _confidence = category_suggest(text=text, categories=keyword_categories)
            keyword_hits += guess is not None and guess.pk == category
        accuracy, keyword_accuracy = hits / len(recent), keyword_hits / len(recent)
    weights = classifier.fit(words=[words[r[0]] for r in rows], labels=[r[2] for r in rows],
                             max_words=CLASSIFIER_MAX_WORDS)
    counts = Counter(str(r[2]) for r in rows)
    with transaction.atomic():
        # The version number under a lock of the newest row: two trainings at once make two versions, not a clash.
        last = CategoryModel.objects.select_for_update().order_by("-version").first()
        return CategoryModel.objects.create(
            version=(last.version + 1) if last else 1, trained_at=now, n_cases=len(rows),
            held_out_cases=len(recent), held_out_accuracy=accuracy, keyword_accuracy=keyword_accuracy,
            category_counts=dict(counts), data_digest=digest, weights=weights)
