from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberKind(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time grid member")
    PART_TIME = "part_time", _("Part-time grid member")


class CategoryKind(models.TextChoices):
    """GB/T 30428 (数字化城市管理信息系统): 部件 are public facilities, 事件 are events in public space; the 全要素网格
    adds social-governance events."""

    COMPONENT = "component", _("Component (部件)")
    EVENT = "event", _("Event (事件)")
    # 全要素网格: a resident's dispute, a hazard in a building, a request about daily life, care for a vulnerable
    # person — handled by the street's office or a city department, not only city management.
    SOCIAL = "social", _("Social governance (全要素)")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class Step(models.TextChoices):
    REGISTER = "register", _("Registration (立案)")
    DISPATCH = "dispatch", _("Dispatch")
    HANDLE = "handle", _("Handle")
    VERIFY = "verify", _("On-site verification")


class Channel(models.TextChoices):
    PATROL = "patrol", _("Grid member patrol")
    PHOTO = "photo", _("Citizen photo report (随手拍)")
    HOTLINE = "hotline", _("Hotline (12345)")
    OPEN311 = "open311", _("Open311 API")


class Status(models.TextChoices):
    """The national digital city-management loop (上报 → 立案 → 派遣 → 处置 → 核查 → 结案 → 评价)."""

    REPORTED = "reported", _("Reported")
    REGISTERED = "registered", _("Registered")
    NOT_REGISTERED = "not_registered", _("Not registered")
    DISPATCHED = "dispatched", _("Dispatched")
    RETURNED = "returned", _("Returned to the dispatcher")
    HANDLED = "handled", _("Handled, awaiting verification")
    CLOSED = "closed", _("Closed")


CLOSED_STATUSES = (Status.NOT_REGISTERED, Status.CLOSED)
OPEN_STATUSES = (Status.REPORTED, Status.REGISTERED, Status.DISPATCHED, Status.RETURNED, Status.HANDLED)
# The step whose clock runs in each open state.
STEP_OF = {Status.REPORTED: "register", Status.REGISTERED: "dispatch", Status.RETURNED: "dispatch",
           Status.DISPATCHED: "handle", Status.HANDLED: "verify"}
DISPATCH_CENTER = "city-urban-management"  # 数字化城市管理指挥中心: registers and dispatches, and is told of overdue steps
# The escalation ladder's upper rungs (issue 17): each district's command centre (网格化服务管理中心), then the city's.
COMMAND_CENTERS = {"211102": "shuangtaizi-grid-command", "211103": "xinglongtai-grid-command",
                   "211104": "dawa-grid-command", "211122": "panshan-grid-command"}
CITY_COMMAND_CENTER = "city-grid-command"
# Hours past the due moment after which an overdue step climbs to the district, then to the city (settings
# GRID_ESCALATION_HOURS overrides; read when the sweep runs).
DEFAULT_ESCALATION_HOURS = (24, 72)


class EscalationLevel(models.IntegerChoices):
    """How far an overdue step has climbed: the sweep moves it (apps.deadlines, WorkflowSpec.escalation)."""

    NONE = 0, _("Not escalated")
    OVERDUE = 1, _("Overdue: department head and dispatch centre")
    DISTRICT = 2, _("District command centre")
    CITY = 3, _("City command centre")


class RatingLevel(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    FAIRLY_SATISFIED = "fairly_satisfied", _("Fairly satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")

# The city's extent (盘锦市, WGS84): a point outside is not in the city; inside but outside every grid polygon, the
# dispatcher chooses the grid.
CITY_BOUNDS = {"min_lng": 121.40, "max_lng": 122.55, "min_lat": 40.60, "max_lat": 41.45}
DESCRIPTION_MAX = 4000  # GeoReport v2: description up to 4,000 characters
# The channels staff enter in the back office, and the role that enters each (a grid member on patrol, the hotline
# operator of the dispatch centre).
STAFF_CHANNEL_ROLES = {"patrol": "grid_member", "hotline": "dispatcher"}
MAX_PHOTOS = 3  # photos one report carries (随手拍, patrol), checked by services.case_report


class HourBasis(models.TextChoices):
    """How a category's limits in hours count (issue 17 item 8): clock hours (a night and a Sunday count) or working
    hours (工作时: only the office hours of working days, settings.OFFICE_HOURS). Clock hours are the default: an
    urgent 井盖缺失 must be made safe overnight, and the existing categories keep their behaviour."""

    CLOCK = "clock", _("Clock hours")
    WORKING = "working", _("Working hours (工作时)")


class SuggestionSource(models.TextChoices):
    """Where a report's suggested category came from (ADR 0010)."""

    KEYWORDS = "keywords", _("Keyword rules")
    MODEL = "model", _("Learned model")


# The classifier (ADR 0010): cases closed within this many days, at most this many (newest first), train it; the
# cases closed in the last HELD_OUT_DAYS are held out to measure it first. Vocabulary capped so that the stored JSON
# stays small (categories × words floats).
CLASSIFIER_TRAIN_DAYS = 365
CLASSIFIER_MAX_CASES = 50_000
CLASSIFIER_HELD_OUT_DAYS = 30
CLASSIFIER_MAX_WORDS = 5_000
CLASSIFIER_BATCH = 2_000
