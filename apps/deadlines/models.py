from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import DeadlineStatus, EventKind, Unit


class Deadline(models.Model):
    """A time limit on a case or on one stage of it (受理, 决定, 处置 …).

    ``due_at``, ``provisional`` and ``status`` are derived (see selectors.deadline_compute) and stored so that lists
    can sort and filter by them; every service that changes the clock recomputes them.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    case = GenericForeignKey("content_type", "object_id")
    stage = models.CharField(_("stage"), max_length=32)
    label = models.CharField(_("name"), max_length=100)
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    limit = models.PositiveIntegerField(_("limit"))
    extension = models.PositiveIntegerField(_("extension"), default=0)
    due_soon_before = models.PositiveIntegerField(_("due soon within"), default=1,
                                                  help_text=_("In the deadline's unit."))
    started_at = models.DateTimeField(_("started at"))
    cycle = models.PositiveIntegerField(default=1)
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    due_soon_at = models.DateTimeField(null=True, blank=True, help_text="From when the deadline counts as due soon.")
    provisional = models.BooleanField(_("provisional"), default=False,
                                      help_text=_("Rests on a year without an official holiday calendar."))
    status = models.CharField(_("status"), max_length=16, choices=DeadlineStatus.choices,
                              default=DeadlineStatus.RUNNING)
    notified_status = models.CharField(max_length=16, blank=True)
    # When the passing of time may next change this row (its due-soon moment, its due moment, at once when a change
    # is not yet told); empty when only a service can change it (paused, closed, overdue and told). The sweep reads
    # this column through a partial index, so its cost follows the rows to act on, not the open ones.
    next_check_at = models.DateTimeField(null=True, blank=True)
    # How far up its case type's escalation ladder (WorkflowSpec.escalation) an overdue clock has climbed: 0 not
    # overdue (or no ladder), 1 overdue and told, 2, 3 … each further level. Back to 0 when it is no longer overdue.
    escalation_level = models.PositiveSmallIntegerField(default=0, db_default=0)  # db_default: bulk SQL inserts
    # The calendar version (workdays CalendarChange id) the due moment was computed on.
    calendar_version = models.PositiveBigIntegerField(default=0)
    responsible_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+")
    responsible_department = models.ForeignKey("organizations.Department", null=True, blank=True,
                                               on_delete=models.SET_NULL, related_name="+")
    responsible_role = models.CharField(max_length=32, blank=True,
                                        help_text="Role notified in the department when no one person is responsible "
                                                  "(the clerks when empty).")
    url = models.CharField(max_length=300, blank=True, help_text=_("Where the responsible people act on the case."))

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        indexes = [
            models.Index(fields=["content_type", "object_id", "stage"]),
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["next_check_at", "id"], name="deadline_next_check",
                         condition=models.Q(next_check_at__isnull=False)),
            models.Index(fields=["calendar_version", "id"], name="deadline_open_version",
                         condition=models.Q(completed_at__isnull=True, cancelled_at__isnull=True)),
        ]

    def __str__(self):
        return f"{self.label} ({self.get_status_display()})"

    @property
    def total_limit(self):
        return self.limit + self.extension

    @property
    def is_open(self):
        return self.completed_at is None and self.cancelled_at is None


class DeadlinePause(models.Model):
    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="pauses")
    cycle = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["started_at", "id"]


class DeadlineEvent(models.Model):
    """What happened to a deadline: start, pause, resume, restart, extension (with its reason), completion."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    units = models.IntegerField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]


class SweepLease(models.Model):
    """Who is sweeping the deadlines now, until when: two sweeps (the beat and a catch-up after a calendar entry, or
    two beats on a slow night) never run at once. Taken and renewed by a conditional UPDATE, so it works on SQLite as
    on PostgreSQL; a crashed holder's lease runs out."""

    name = models.CharField(max_length=32, primary_key=True)
    holder = models.CharField(max_length=64, blank=True)
    until = models.DateTimeField()
