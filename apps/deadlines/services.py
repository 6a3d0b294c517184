import datetime as dt
import functools

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.notifications.services import notify
from apps.organizations.constants import Role
from apps.organizations.selectors import staff_with_role

from .constants import NOTIFY_ON, DeadlineStatus, EventKind, Unit
from .exceptions import DeadlineError
from .models import Deadline, DeadlineEvent, DeadlinePause
from .selectors import deadline_compute, deadline_due_soon_at, deadline_status

_FIELDS = ["due_at", "due_soon_at", "provisional", "status"]


def _refresh(deadline: Deadline, now: dt.datetime) -> bool:
    """Recompute the derived fields in memory; True when any changed."""
    before = (deadline.due_at, deadline.provisional, deadline.status)
    pauses = list(deadline.pauses.all()) if deadline.pk else []
    computed = deadline_compute(deadline=deadline, pauses=pauses, now=now)
    deadline.due_at, deadline.provisional = computed.due_at, computed.provisional
    deadline.due_soon_at = deadline_due_soon_at(deadline=deadline)
    deadline.status = deadline_status(deadline=deadline, now=now)
    return before != (deadline.due_at, deadline.provisional, deadline.status)


@functools.lru_cache(maxsize=None)
def _copy_holder(content_type_id: int):
    """The case model whose rows copy their running clock's due moment (``current_deadline`` + ``due_at``), if any."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    names = {f.name for f in model._meta.concrete_fields} if model is not None else set()
    return model if {"current_deadline", "due_at"} <= names else None


def _copy_due(deadline: Deadline) -> None:
    """A copy moves with its source (CONVENTIONS 16): the case that runs on this clock gets its new due moment in the
    same transaction, whatever moved it (a pause, an extension, the sweep, a recompute after a calendar entry)."""
    model = _copy_holder(deadline.content_type_id)
    if model is not None:
        model._default_manager.filter(pk=deadline.object_id, current_deadline_id=deadline.pk).update(
            due_at=deadline.due_at if deadline.is_open else None)


def _lock(deadline: Deadline) -> Deadline:
    return Deadline.objects.select_for_update().get(pk=deadline.pk)


def _event(deadline, kind, at, actor=None, units=None, reason=""):
    DeadlineEvent.objects.create(deadline=deadline, kind=kind, at=at, units=units, reason=reason,
                                 actor=actor if getattr(actor, "pk", None) else None)


@transaction.atomic
def deadline_start(*, obj, stage: str, label: str, unit: str, limit: int, due_soon_before: int = 1,
                   started_at: dt.datetime | None = None, actor=None, responsible_user=None,
                   responsible_department=None, responsible_role: str = "", url: str = "") -> Deadline:
    if limit <= 0:
        raise DeadlineError(_("A time limit must be at least 1."))
    at = started_at or timezone.now()
    deadline = Deadline(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk), stage=stage, label=label,
        unit=Unit(unit), limit=limit, due_soon_before=due_soon_before, started_at=at,
        responsible_user=responsible_user, responsible_department=responsible_department,
        responsible_role=str(responsible_role), url=url,
    )
    _refresh(deadline, timezone.now())
    deadline.save()
    _event(deadline, EventKind.START, at, actor, units=limit)
    return deadline


@transaction.atomic
def deadline_pause(*, deadline: Deadline, reason: str, actor=None, at: dt.datetime | None = None) -> Deadline:
    """Stop the clock (特别程序: 听证, 检验检测, 鉴定, 专家评审 …; 行政许可法 art. 45)."""
    deadline = _lock(deadline)
    if not deadline.is_open:
        raise DeadlineError(_("This deadline is closed."))
    if deadline.paused_at:
        raise DeadlineError(_("The clock is already paused."))
    if not reason.strip():
        raise DeadlineError(_("Say why the clock is paused."))
    at = at or timezone.now()
    DeadlinePause.objects.create(deadline=deadline, cycle=deadline.cycle, started_at=at, reason=reason)
    deadline.paused_at = at
    _refresh(deadline, max(at, timezone.now()))
    deadline.save(update_fields=["paused_at", *_FIELDS])
    _copy_due(deadline)
    _event(deadline, EventKind.PAUSE, at, actor, reason=reason)
    return deadline


@transaction.atomic
def deadline_resume(*, deadline: Deadline, actor=None, at: dt.datetime | None = None) -> Deadline:
    deadline = _lock(deadline)
    if not deadline.paused_at:
        raise DeadlineError(_("The clock is not paused."))
    at = at or timezone.now()
    DeadlinePause.objects.filter(deadline=deadline, ended_at__isnull=True).update(ended_at=at)
    deadline.paused_at = None
    _refresh(deadline, max(at, timezone.now()))
    deadline.save(update_fields=["paused_at", *_FIELDS])
    _copy_due(deadline)
    _event(deadline, EventKind.RESUME, at, actor)
    return deadline


@transaction.atomic
def deadline_restart(*, deadline: Deadline, reason: str = "", actor=None, at: dt.datetime | None = None) -> Deadline:
    """Start the clock again from ``at`` (a resubmitted application restarts its acceptance clock): a new cycle
    without the earlier pauses and extensions."""
    deadline = _lock(deadline)
    if not deadline.is_open:
        raise DeadlineError(_("This deadline is closed."))
    at = at or timezone.now()
    DeadlinePause.objects.filter(deadline=deadline, ended_at__isnull=True).update(ended_at=at)
    deadline.cycle += 1
    deadline.started_at = at
    deadline.paused_at = None
    deadline.extension = 0
    deadline.notified_status = ""
    _refresh(deadline, max(at, timezone.now()))
    deadline.save(update_fields=["cycle", "started_at", "paused_at", "extension", "notified_status", *_FIELDS])
    _copy_due(deadline)
    _event(deadline, EventKind.RESTART, at, actor, reason=reason)
    return deadline


@transaction.atomic
def deadline_extend(*, deadline: Deadline, units: int, reason: str, actor=None) -> Deadline:
    deadline = _lock(deadline)
    if not deadline.is_open:
        raise DeadlineError(_("This deadline is closed."))
    if units <= 0:
        raise DeadlineError(_("An extension must be at least 1."))
    if not reason.strip():
        raise DeadlineError(_("An extension needs a reason."))
    deadline.extension += units
    if deadline.status in NOTIFY_ON:
        deadline.notified_status = ""
    _refresh(deadline, timezone.now())
    deadline.save(update_fields=["extension", "notified_status", *_FIELDS])
    _copy_due(deadline)
    _event(deadline, EventKind.EXTEND, timezone.now(), actor, units=units, reason=reason)
    return deadline


@transaction.atomic
def deadline_complete(*, deadline: Deadline, actor=None, at: dt.datetime | None = None) -> Deadline:
    deadline = _lock(deadline)
    if not deadline.is_open:
        return deadline
    at = at or timezone.now()
    DeadlinePause.objects.filter(deadline=deadline, ended_at__isnull=True).update(ended_at=at)
    deadline.paused_at = None
    deadline.completed_at = at
    _refresh(deadline, at)
    deadline.save(update_fields=["paused_at", "completed_at", *_FIELDS])
    _copy_due(deadline)
    _event(deadline, EventKind.COMPLETE, at, actor)
    return deadline


@transaction.atomic
def deadline_cancel(*, deadline: Deadline, actor=None, reason: str = "") -> Deadline:
    deadline = _lock(deadline)
    if not deadline.is_open:
        return deadline
    deadline.cancelled_at = timezone.now()
    deadline.status = DeadlineStatus.CANCELLED
    deadline.save(update_fields=["cancelled_at", "status"])
    _copy_due(deadline)
    _event(deadline, EventKind.CANCEL, deadline.cancelled_at, actor, reason=reason)
    return deadline


def deadline_attach(*, obj, deadline: Deadline | None, update_fields=()) -> None:
    """Point a case at its running clock (or none) and keep the copy of its due moment (``due_at``, what the queues
    sort by) in step, in the caller's transaction. Every case type with ``current_deadline`` and ``due_at`` uses it."""
    obj.current_deadline = deadline
    obj.due_at = deadline.due_at if deadline is not None and deadline.is_open else None
    obj.save(update_fields=["current_deadline", "due_at", *update_fields])


def _recipients(deadline: Deadline) -> list:
    """The responsible clerk (or, without one, the department's people in the deadline's role — clerks unless it
    names another) and the department head(s)."""
    people = [deadline.responsible_user] if deadline.responsible_user else []
    if deadline.responsible_department_id:
        department = deadline.responsible_department_id
        if not people:
            people = list(staff_with_role(department=department, role=deadline.responsible_role or Role.CLERK))
        people += list(staff_with_role(department=department, role=Role.DEPARTMENT_HEAD))
    return list({person.pk: person for person in people}.values())


@transaction.atomic
def deadline_sweep_one(*, deadline_id: int, now: dt.datetime | None = None) -> bool:
    """Recompute one deadline; when it has just become due-soon or overdue, notify the responsible people — once per
    change, however often the sweep runs. Returns True when something changed."""
    deadline = Deadline.objects.select_for_update().filter(pk=deadline_id).first()
    if deadline is None or not deadline.is_open:
        return False
    changed = _refresh(deadline, now or timezone.now())
    notify_now = deadline.status in NOTIFY_ON and deadline.notified_status != deadline.status
    if notify_now:
        deadline.notified_status = deadline.status
        due = timezone.localtime(deadline.due_at).strftime("%Y-%m-%d %H:%M")
        title = (_("Overdue: %(label)s") if deadline.status == DeadlineStatus.OVERDUE
                 else _("Due soon: %(label)s")) % {"label": deadline.label}
        body = _("%(case)s — due %(due)s.") % {"case": str(deadline.case), "due": due}
        notify(recipients=_recipients(deadline), title=title, body=body, url=deadline.url)
    if changed or notify_now:
        deadline.save(update_fields=["notified_status", *_FIELDS])
        _copy_due(deadline)
    return changed or notify_now


@transaction.atomic
def deadline_recompute(*, deadline_id: int, year: int) -> bool:
    """After the calendar of ``year`` was entered or corrected: recompute one deadline (and its case's copy). A due
    moment that moved is recorded — a deadline event and a line on the case's timeline, old date → new date — and
    told to the person it was promised to (the case's applicant, enterprise or reporter)."""
    before = (Deadline.objects.select_for_update().filter(pk=deadline_id).values_list("due_at", flat=True).first())
    changed = deadline_sweep_one(deadline_id=deadline_id)
    deadline = Deadline.objects.get(pk=deadline_id)
    if before is None or deadline.due_at is None or deadline.due_at == before or not deadline.is_open:
        return changed
    old, new = (timezone.localtime(m).strftime("%Y-%m-%d") for m in (before, deadline.due_at))
    if deadline.provisional:
        new = _("%(date)s (provisional)") % {"date": new}
    moved = _("%(label)s moved by the %(year)s holiday calendar: %(old)s → %(new)s") % {
        "label": deadline.label, "year": year, "old": old, "new": new}
    _event(deadline, EventKind.MOVE, timezone.now(), reason=moved)
    _tell_moved(deadline, moved)
    return True


def _tell_moved(deadline: Deadline, moved: str) -> None:
    from apps.workflow.constants import EntryKind
    from apps.workflow.services import timeline_record
    from apps.workflow.spec import has_workflow, spec_for

    case = deadline.case
    if case is None or not has_workflow(type(case)):
        return
    timeline_record(obj=case, actor=None, kind=EntryKind.DEADLINE, public_label=moved[:200])
    owner = getattr(case, spec_for(case).owner_field, None)
    if owner is not None:
        notify(recipients=[owner], title=_("A date on your case moved: %(case)s") % {"case": case}, body=moved,
               sms=True)
