import datetime as dt
import functools
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models.functions import Coalesce
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.notifications.services import Message, notify_many
from apps.organizations.constants import Role
from apps.organizations.selectors import staff_with_role
from apps.workdays.selectors import calendar_changes_since, calendar_check

from .constants import NOTIFY_ON, DeadlineStatus, EventKind, Unit
from .exceptions import DeadlineError
from .models import Deadline, DeadlineEvent, DeadlinePause, SweepLease
from .selectors import deadline_compute, deadline_due_soon_at, deadline_due_text, deadline_status

logger = logging.getLogger(__name__)

_FIELDS = ["due_at", "due_soon_at", "provisional", "status", "next_check_at", "calendar_version", "escalation_level"]


def _next_check(deadline: Deadline, now: dt.datetime) -> dt.datetime | None:
    """When the passing of time may next change the row (the sweep's partial index), or None when only a service can:
    at once while a due-soon or overdue change is not yet told, then at the due-soon moment, then at the due moment."""
    if not deadline.is_open or deadline.paused_at:
        return None
    if deadline.status in NOTIFY_ON and deadline.notified_status != deadline.status:
        return now
    if deadline.status == DeadlineStatus.RUNNING:
        return deadline.due_soon_at
    if deadline.status == DeadlineStatus.DUE_SOON:
        return deadline.due_at
    if deadline.status == DeadlineStatus.OVERDUE and deadline.escalation_level:
        # The next rung of the case type's escalation ladder, if any is left.
        ladder = _escalation(deadline.content_type_id)
        delays = list(ladder.delays()) if ladder is not None else []
        if deadline.escalation_level - 1 < len(delays):
            return deadline.due_at + delays[deadline.escalation_level - 1]
    return None


@functools.lru_cache(maxsize=None)
def _escalation(content_type_id: int):
    """The case type's escalation ladder (WorkflowSpec.escalation), or None."""
    from apps.workflow.spec import has_workflow, spec_for

    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return spec_for(model).escalation if model is not None and has_workflow(model) else None


def _climb(deadline: Deadline, now: dt.datetime) -> int:
    """The ladder level an overdue clock has reached at ``now``: 1 when overdue, one more for each delay passed."""
    ladder = _escalation(deadline.content_type_id)
    if ladder is None or deadline.status != DeadlineStatus.OVERDUE:
        return 0
    return 1 + sum(1 for delay in ladder.delays() if now >= deadline.due_at + delay)


def _refresh(deadline: Deadline, now: dt.datetime, pauses: list | None = None) -> bool:
    """Recompute the derived fields in memory on the latest calendar; True when the due moment, its provisional
    flag or the status changed."""
    before = (deadline.due_at, deadline.provisional, deadline.status)
    deadline.calendar_version = calendar_check()
    if pauses is None:
        pauses = list(deadline.pauses.all()) if deadline.pk else []
    computed = deadline_compute(deadline=deadline, pauses=pauses, now=now)
    deadline.due_at, deadline.provisional = computed.due_at, computed.provisional
    deadline.due_soon_at = deadline_due_soon_at(deadline=deadline)
    deadline.status = deadline_status(deadline=deadline, now=now)
    if deadline.status != DeadlineStatus.OVERDUE:
        deadline.escalation_level = 0  # extended, paused or completed: off the ladder
    deadline.next_check_at = _next_check(deadline, now)
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
        copies = {"due_at": deadline.due_at if deadline.is_open else None}
        if _copies_rung(model):
            copies["escalation_level"] = deadline.escalation_level if deadline.is_open else 0
        model._default_manager.filter(pk=deadline.object_id, current_deadline_id=deadline.pk).update(**copies)


@functools.lru_cache(maxsize=None)
def _copies_rung(model) -> bool:
    """Whether the case keeps a copy of its running clock's rung on the escalation ladder (``escalation_level``, what
    the escalated queues filter on): it moves with the clock — a date moved past now by a calendar entry takes the
    case off the ladder as it takes the clock (review finding, issue 17)."""
    return "escalation_level" in {f.name for f in model._meta.concrete_fields}


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
def deadline_reassign(*, deadline: Deadline, responsible_user=None, responsible_department=None,
                      responsible_role: str = "") -> Deadline:
    """Whose step it is now (the case moved: placed in a grid, sent to another office): the sweep's due-soon and
    overdue messages go to them from here on. The due moment does not move."""
    deadline = _lock(deadline)
    if not deadline.is_open:
        return deadline
    deadline.responsible_user = responsible_user
    deadline.responsible_department = responsible_department
    deadline.responsible_role = responsible_role
    deadline.save(update_fields=["responsible_user", "responsible_department", "responsible_role"])
    return deadline


@transaction.atomic
def deadline_cancel(*, deadline: Deadline, actor=None, reason: str = "") -> Deadline:
    deadline = _lock(deadline)
    if not deadline.is_open:
        return deadline
    deadline.cancelled_at = timezone.now()
    deadline.status = DeadlineStatus.CANCELLED
    deadline.next_check_at = None
    deadline.save(update_fields=["cancelled_at", "status", "next_check_at"])
    _copy_due(deadline)
    _event(deadline, EventKind.CANCEL, deadline.cancelled_at, actor, reason=reason)
    return deadline


def deadline_attach(*, obj, deadline: Deadline | None, update_fields=()) -> None:
    """Point a case at its running clock (or none) and keep the copy of its due moment (``due_at``, what the queues
    sort by) in step, in the caller's transaction. Every case type with ``current_deadline`` and ``due_at`` uses it."""
    obj.current_deadline = deadline
    obj.due_at = deadline.due_at if deadline is not None and deadline.is_open else None
    obj.save(update_fields=["current_deadline", "due_at", *update_fields])


# --- the sweep: time passing, and catching up with calendar changes ---------------------------------------------------

BATCH = 500
LEASE = dt.timedelta(minutes=10)


def sweep_lease_take(*, name: str = "deadlines") -> str | None:
    """Take the sweep's lease (a token) unless another sweep holds it; None when one does."""
    token = uuid.uuid4().hex
    now = timezone.now()
    SweepLease.objects.get_or_create(name=name, defaults={"until": now - dt.timedelta(seconds=1)})
    taken = SweepLease.objects.filter(name=name, until__lt=now).update(holder=token, until=now + LEASE)
    return token if taken else None


def sweep_lease_renew(*, token: str, name: str = "deadlines") -> bool:
    return bool(SweepLease.objects.filter(name=name, holder=token).update(until=timezone.now() + LEASE))


def sweep_lease_release(*, token: str, name: str = "deadlines") -> None:
    SweepLease.objects.filter(name=name, holder=token).update(until=timezone.now() - dt.timedelta(seconds=1))


@dataclass
class _Run:
    """What one sweep knows once: the calendar version and the entries since the oldest version it meets, and the
    people to tell per department and role (looked up once per run, not per deadline)."""

    now: dt.datetime
    version: int = 0
    changes: list = field(default_factory=list)  # (version, year, notice), oldest first
    since: int | None = None
    people: dict = field(default_factory=dict)

    def refresh_calendar(self) -> None:
        version = calendar_check(force=True)
        if version != self.version:
            self.version, self.since = version, None

    def changes_after(self, version: int) -> list:
        if self.since is None or version < self.since:
            self.changes, self.since = calendar_changes_since(version=version), version
        return [c for c in self.changes if c[0] > version]

    def staff(self, department_id: int, role: str) -> list:
        key = (department_id, role)
        if key not in self.people:
            self.people[key] = list(staff_with_role(department=department_id, role=role))
        return self.people[key]

    def recipients(self, deadline: Deadline) -> list:
        """The responsible clerk (or, without one, the department's people in the deadline's role — clerks unless
        it names another) and the department head(s) — for a case type with an escalation ladder, the head only
        once the step is overdue (due soon is told to the person whose step it is)."""
        people = [deadline.responsible_user] if deadline.responsible_user_id else []
        if deadline.responsible_department_id:
            department = deadline.responsible_department_id
            if not people:
                people = self.staff(department, deadline.responsible_role or Role.CLERK)
            if deadline.status == DeadlineStatus.OVERDUE or _escalation(deadline.content_type_id) is None:
                people = people + self.staff(department, Role.DEPARTMENT_HEAD)
        return list({person.pk: person for person in people}.values())


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    return (timezone.make_aware(dt.datetime(year, 1, 1)), timezone.make_aware(dt.datetime(year + 1, 1, 1)))


def _touches(deadline: Deadline, years) -> bool:
    """Whether the deadline's window — from its start to its due moment — touches one of ``years``. A paused clock's
    due moment grows with the pause: it is recomputed whatever the year."""
    if deadline.paused_at or deadline.due_at is None:
        return True
    for year in years:
        first, after = _year_bounds(year)
        if deadline.started_at < after and deadline.due_at >= first:
            return True
    return False


def _cases(pairs) -> dict:
    """(content type id, object id) → case, fetched once per case type with what ``str(case)`` reads."""
    from apps.workflow.spec import has_workflow, spec_for

    wanted = defaultdict(set)
    for content_type_id, object_id in pairs:
        wanted[content_type_id].add(object_id)
    found = {}
    for content_type_id, object_ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        related = list(spec_for(model).label_related) if has_workflow(model) else []
        if has_workflow(model):
            relations = {f.name for f in model._meta.concrete_fields if f.is_relation}
            spec = spec_for(model)
            related += [name for name in (spec.owner_field, *spec.co_owner_fields) if name in relations]
        rows = model._default_manager.select_related(*related).filter(pk__in=list(object_ids))
        found.update({(content_type_id, str(case.pk)): case for case in rows})
    return found


def _lock_batch(batch) -> tuple[list[Deadline], dict]:
    """Lock a batch (``batch``: the unlocked query of its rows — a key range, not a list of ids) the way every
    service locks — the case that copies a clock before the clock (ADR 0003) — skipping what a service is working on
    now: the next sweep takes it. Returns the locked open rows and their pauses."""
    busy = set()
    types = set(batch.order_by().values_list("content_type_id", flat=True).distinct())
    for content_type_id in types:
        model = _copy_holder(content_type_id)
        if model is None or not connection.features.has_select_for_update_skip_locked:
            continue
        cases = model._default_manager.filter(
            current_deadline__in=batch.filter(content_type_id=content_type_id).values("pk"))
        got = set(cases.select_for_update(skip_locked=True).values_list("current_deadline_id", flat=True))
        busy |= set(cases.values_list("current_deadline_id", flat=True)) - got
    # The clocks whose case a service holds are not even locked: that service may want them next.
    rows = [row for row in batch.exclude(pk__in=busy).select_for_update(skip_locked=True, of=("self",))
            .select_related("responsible_user").order_by("pk") if row.is_open]
    pauses = defaultdict(list)
    for pause in DeadlinePause.objects.filter(deadline__in=batch.values("pk")).order_by("started_at", "id"):
        pauses[pause.deadline_id].append(pause)
    return rows, pauses


@transaction.atomic
def _sweep_batch(batch, run: _Run) -> int:
    """Bring one batch of open deadlines up to date: the latest calendar (a due moment moved by an entry is recorded
    and told) and the passing of time (a new due-soon or overdue status is told to the responsible people once).
    Each batch commits on its own; returns how many deadlines changed."""
    rows, pauses = _lock_batch(batch)
    updated, stamp_only, moved, messages, due_changed, climbed = [], [], [], [], [], []
    for deadline in rows:
        before = (deadline.due_at, deadline.provisional, deadline.status, deadline.notified_status,
                  deadline.next_check_at, deadline.escalation_level, deadline.calendar_version)
        stale = deadline.calendar_version < run.version
        changes = run.changes_after(deadline.calendar_version) if stale else []
        due_by_time = deadline.next_check_at is not None and deadline.next_check_at <= run.now
        if stale and not due_by_time and not _touches(deadline, {year for _v, year, _n in changes}):
            deadline.calendar_version = run.version  # no entry since its version touches its window
            stamp_only.append(deadline.pk)
            continue
        old_due = deadline.due_at
        _refresh(deadline, run.now, pauses=pauses[deadline.pk])
        if deadline.status in NOTIFY_ON and deadline.notified_status != deadline.status:
            deadline.notified_status = deadline.status
            deadline.next_check_at = _next_check(deadline, run.now)
            messages.append(deadline)
        if deadline.status == DeadlineStatus.OVERDUE and deadline.notified_status == DeadlineStatus.OVERDUE:
            level = _climb(deadline, run.now)
            if level > deadline.escalation_level:  # a rung of the ladder (WorkflowSpec.escalation)
                climbed.append((deadline, before[5], level))
                deadline.escalation_level = level
                deadline.next_check_at = _next_check(deadline, run.now)
        if (deadline.due_at, deadline.provisional, deadline.status, deadline.notified_status,
                deadline.next_check_at, deadline.escalation_level) != before[:6]:
            updated.append(deadline)
        elif deadline.calendar_version != before[6]:
            stamp_only.append(deadline.pk)
        if deadline.due_at != old_due:
            due_changed.append(deadline)
            if stale and old_due is not None and not deadline.paused_at:
                moved.append((deadline, old_due, changes))
    if stamp_only:
        Deadline.objects.filter(pk__in=stamp_only).update(calendar_version=run.version)
    if not updated:
        return 0
    _write(updated)
    _copy_due_many(due_changed)
    cases = _cases({(d.content_type_id, d.object_id) for d in messages} | {(d.content_type_id, d.object_id)
                                                                            for d, *_r in moved + climbed})
    notify_many(messages=[_due_message(d, cases, run) for d in messages])
    if moved:
        _record_moves(moved, cases)
    if climbed:
        _record_climbs(climbed, cases, run.now)
    return len(updated)


def _record_climbs(climbed: list, cases: dict, now: dt.datetime) -> None:
    """Hand the clocks that climbed a rung to their case type's ladder (one call per case type and batch)."""
    by_type = defaultdict(list)
    for deadline, old_level, new_level in climbed:
        case = cases.get((deadline.content_type_id, deadline.object_id))
        if case is not None:
            by_type[deadline.content_type_id].append((case, deadline, old_level, new_level))
    for content_type_id, items in by_type.items():
        _escalation(content_type_id).escalated(items=items, now=now)


def _write(deadlines: list[Deadline]) -> None:
    """Save the derived fields of many rows: one prepared UPDATE run for each (executemany) — Django's bulk_update
    spends ~3 ms of Python per row building CASE expressions, which made a 200,000-row recompute take minutes."""
    names = _FIELDS + ["notified_status"]
    fields = [Deadline._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(Deadline._meta.db_table), ", ".join(f"{quote(f.column)} = %s" for f in fields), quote("id"))
    rows = [[f.get_db_prep_save(getattr(d, f.attname), connection) for f in fields] + [d.pk] for d in deadlines]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _copy_due_many(deadlines: list[Deadline]) -> None:
    """_copy_due for a batch: one UPDATE per case type, the case rows already locked by _lock_batch."""
    by_type = defaultdict(list)
    for deadline in deadlines:
        if _copy_holder(deadline.content_type_id) is not None:
            by_type[deadline.content_type_id].append(deadline.pk)
    for content_type_id, pks in by_type.items():
        running = Deadline.objects.filter(pk=OuterRef("current_deadline_id"), completed_at__isnull=True,
                                          cancelled_at__isnull=True)
        model = _copy_holder(content_type_id)
        copies = {"due_at": Subquery(running.values("due_at")[:1])}
        if _copies_rung(model):
            copies["escalation_level"] = Coalesce(Subquery(running.values("escalation_level")[:1]), 0)
        model._default_manager.filter(current_deadline_id__in=pks).update(**copies)


def _due_message(deadline: Deadline, cases: dict, run: _Run) -> Message:
    due = timezone.localtime(deadline.due_at).strftime("%Y-%m-%d %H:%M")
    title = (_("Overdue: %(label)s") if deadline.status == DeadlineStatus.OVERDUE
             else _("Due soon: %(label)s")) % {"label": deadline.label}
    case = cases.get((deadline.content_type_id, deadline.object_id))
    body = _("%(case)s — due %(due)s.") % {"case": str(case) if case is not None else "", "due": due}
    return Message(run.recipients(deadline), title, body, deadline.url)


def _record_moves(moved: list, cases: dict) -> None:
    """A due moment moved by a calendar entry: a deadline event, a line on the case's timeline (old date → new date,
    暂定 while still provisional, the entry that caused it), a message to the person it was promised to, and what the
    case type owes besides (WorkflowSpec.deadline_moved: a written notice)."""
    from apps.workflow.constants import EntryKind
    from apps.workflow.services import timeline_record_system
    from apps.workflow.spec import has_workflow, spec_for

    now = timezone.now()
    events, entries, messages, hooks = [], [], [], []
    for deadline, old_due, changes in moved:
        old = deadline_due_text(due_at=old_due, provisional=False, format="%Y-%m-%d")
        new = deadline_due_text(due_at=deadline.due_at, provisional=deadline.provisional, format="%Y-%m-%d")
        years = "、".join(str(y) for y in sorted({year for _v, year, _n in changes}))
        notices = "、".join(dict.fromkeys(notice for _v, _y, notice in changes if notice))
        text = _("%(label)s moved by the %(year)s holiday calendar%(notice)s: %(old)s → %(new)s") % {
            "label": deadline.label, "year": years, "notice": f"（{notices}）" if notices else "", "old": old,
            "new": new}
        events.append(DeadlineEvent(deadline=deadline, kind=EventKind.MOVE, at=now, reason=text[:500]))
        case = cases.get((deadline.content_type_id, deadline.object_id))
        if case is None or not has_workflow(type(case)):
            continue
        spec = spec_for(case)
        entries.append((case, EntryKind.DEADLINE, text[:200]))
        # The person it was promised to, and whoever acts for them on the case (an agent of 帮办代办).
        people = [p for p in (getattr(case, name, None) for name in (spec.owner_field, *spec.co_owner_fields))
                  if p is not None]
        if people:
            messages.append(Message(people, _("A date on your case moved: %(case)s") % {"case": case}, text,
                                    sms=True))
        if spec.deadline_moved is not None:
            hooks.append((spec.deadline_moved, case, deadline, old_due))
    DeadlineEvent.objects.bulk_create(events, batch_size=BATCH)
    timeline_record_system(entries=entries)
    notify_many(messages=messages)
    for hook, case, deadline, old_due in hooks:
        hook(case=case, deadline=deadline, old_due=old_due, new_due=deadline.due_at)


def _batches(query, run: _Run, token: str | None, *, order: str, by_range: bool):
    """The rows of ``query`` ordered by (``order``, pk), BATCH at a time, the lease renewed and the calendar checked
    before each. The order leads with the indexed column that ``query`` bounds, so that PostgreSQL reads the partial
    index and stops at once when nothing is left — ordered by pk alone, it may walk the primary key filtering every
    open row (the steady state then grows with the table). Yields each batch as a query: a key range when the batch
    shares its ``order`` value (the catch-up: hundreds of batches, no list of ids to send), else the ids."""
    last = None
    while True:
        if token is not None and not sweep_lease_renew(token=token):
            logger.warning("Deadline sweep: lease lost, stopping.")
            return
        run.refresh_calendar()
        rows = query(run)
        if last is not None:
            rows = rows.filter(Q(**{f"{order}__gt": last[0]}) | Q(**{order: last[0], "pk__gt": last[1]}))
        heads = list(rows.order_by(order, "pk").values_list(order, "pk")[:BATCH])
        if not heads:
            return
        (first_value, first_pk), (last_value, last_pk) = heads[0], heads[-1]
        if by_range and first_value == last_value:
            yield query(run).filter(**{order: first_value}, pk__gte=first_pk, pk__lte=last_pk)
        else:
            yield Deadline.objects.filter(pk__in=[pk for _value, pk in heads])
        last = heads[-1]


def _stale(run: _Run):
    return Deadline.objects.filter(completed_at__isnull=True, cancelled_at__isnull=True,
                                   calendar_version__lt=run.version)


def _due(run: _Run):
    return Deadline.objects.filter(next_check_at__lte=run.now)


def deadlines_sweep_run(*, now: dt.datetime | None = None) -> int | None:
    """One sweep (the beat, every few minutes; and after each calendar entry): first every open deadline computed on
    an older calendar than the latest (recomputed when an entry since touches its window, else only stamped), then
    every deadline whose due-soon or due moment has come. Keyset batches of BATCH rows, each its own transaction;
    never two sweeps at once (SweepLease). Returns how many deadlines changed, or None when another sweep runs."""
    token = sweep_lease_take()
    if token is None:
        return None
    try:
        run = _Run(now=now or timezone.now())
        changed = 0
        for query, order, by_range in ((_stale, "calendar_version", True), (_due, "next_check_at", False)):
            for batch in _batches(query, run, token, order=order, by_range=by_range):
                changed += _sweep_batch(batch, run)
        return changed
    finally:
        sweep_lease_release(token=token)


def deadline_sweep_one(*, deadline_id: int, now: dt.datetime | None = None) -> bool:
    """The sweep's work on one deadline (tests, and a case page that wants its clock current now)."""
    run = _Run(now=now or timezone.now())
    run.refresh_calendar()
    return bool(_sweep_batch(Deadline.objects.filter(pk=deadline_id), run))
