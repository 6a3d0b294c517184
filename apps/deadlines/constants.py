from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    HOURS = "hours", _("hours")
    # 工作时: hours counted only inside the office hours (settings.OFFICE_HOURS) of working days (issue 17 item 8).
    WORKING_HOURS = "working_hours", _("working hours")


class DeadlineStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    PAUSED = "paused", _("Paused")
    MET = "met", _("Met")
    MISSED = "missed", _("Completed late")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (DeadlineStatus.RUNNING, DeadlineStatus.DUE_SOON, DeadlineStatus.OVERDUE, DeadlineStatus.PAUSED)
# Changes worth telling the responsible people about (once each).
NOTIFY_ON = (DeadlineStatus.DUE_SOON, DeadlineStatus.OVERDUE)


class EventKind(models.TextChoices):
    START = "start", _("Started")
    PAUSE = "pause", _("Paused")
    RESUME = "resume", _("Resumed")
    RESTART = "restart", _("Restarted")
    EXTEND = "extend", _("Extended")
    COMPLETE = "complete", _("Completed")
    CANCEL = "cancel", _("Cancelled")
    MOVE = "move", _("Moved by a calendar change")
