"""Deadline arithmetic. Pure functions of the deadline, its pauses, the calendar and ``now``."""
import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from apps.workdays.selectors import Answer, day_info, workdays_add, workdays_between

from .constants import DeadlineStatus, Unit
from .models import Deadline

END_OF_DAY = dt.time(23, 59, 59)


@dataclass(frozen=True)
class Computed:
    due_at: dt.datetime
    due_date: dt.date
    provisional: bool


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, END_OF_DAY))


def office_hours() -> list[tuple[dt.time, dt.time]]:
    """The periods of a working day that working hours (工作时) count, from settings.OFFICE_HOURS ("08:30-12:00",
    …), read when asked (never at import). Raises ImproperlyConfigured for a malformed or overlapping list."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    periods = []
    for item in getattr(settings, "OFFICE_HOURS", ("08:30-12:00", "13:30-17:30")):
        try:
            start, end = (dt.time.fromisoformat(part.strip()) for part in item.split("-"))
        except ValueError:
            raise ImproperlyConfigured(f"OFFICE_HOURS: {item!r} is not HH:MM-HH:MM") from None
        if end <= start or (periods and start < periods[-1][1]):
            raise ImproperlyConfigured(f"OFFICE_HOURS: {item!r} must end after it starts and follow the one before")
        periods.append((start, end))
    if not periods:
        raise ImproperlyConfigured("OFFICE_HOURS names no period")
    return periods


# A limit in working hours never looks further than this many days for its office hours (a calendar with no working
# day for ten years is a configuration error, not a deadline).
_MAX_DAYS = 3660


def _office_segments(day: dt.date):
    """The office periods of ``day`` as aware moments, and whether the day rests on a provisional year; none on a day
    that is not a working day."""
    info = day_info(date=day)
    if not info.is_workday:
        return [], info.provisional
    return [(timezone.make_aware(dt.datetime.combine(day, a)), timezone.make_aware(dt.datetime.combine(day, b)))
            for a, b in office_hours()], info.provisional


def working_seconds_between(*, start: dt.datetime, end: dt.datetime) -> Answer:
    """Office-hour seconds from ``start`` to ``end`` (0 when end <= start)."""
    if end <= start:
        return Answer(0, False)
    total, provisional = 0, False
    day = _local_date(start)
    while day <= _local_date(end):
        segments, prov = _office_segments(day)
        provisional = provisional or prov
        for a, b in segments:
            lo, hi = max(a, start), min(b, end)
            if hi > lo:
                total += (hi - lo).total_seconds()
        day += dt.timedelta(days=1)
    return Answer(int(total), provisional)


def working_hours_add(*, start: dt.datetime, seconds: float) -> Answer:
    """The moment ``seconds`` of office hours after ``start`` (a limit that uses up a period ends at its close, not
    at the next opening); ``seconds`` may be negative (the due-soon moment before a due moment)."""
    provisional = False
    day = _local_date(start)
    step = 1 if seconds >= 0 else -1
    left = abs(seconds)
    for _i in range(_MAX_DAYS):
        segments, prov = _office_segments(day)
        provisional = provisional or prov
        for a, b in (segments if step > 0 else reversed(segments)):
            if step > 0:
                lo = max(a, start)
                if b <= lo:
                    continue
                if left <= (b - lo).total_seconds():
                    return Answer(lo + dt.timedelta(seconds=left), provisional)
                left -= (b - lo).total_seconds()
            else:
                hi = min(b, start)
                if hi <= a:
                    continue
                if left <= (hi - a).total_seconds():
                    return Answer(hi - dt.timedelta(seconds=left), provisional)
                left -= (hi - a).total_seconds()
        day += dt.timedelta(days=step)
    raise ValueError("no working day within ten years: check the calendar and OFFICE_HOURS")


def deadline_compute(*, deadline: Deadline, pauses, now: dt.datetime) -> Computed:
    """When the deadline falls due. Paused time does not count: an open pause counts up to ``now``.

    - hours: elapsed clock hours (a limit crosses midnight and holidays alike);
    - working hours (工作时): hours inside the office hours (settings.OFFICE_HOURS) of working days; the office hours
      inside a pause are added back; a calendar entry moves it as it moves working days;
    - working days (行政许可法 art. 82): the day of the event is not counted, and the working days inside a pause
      (after the day it began, up to and including the day it ended) are added back;
    - calendar days: likewise with calendar days; a limit ending on a holiday ends on the next working day
      (民法典 art. 203).
    """
    current = [p for p in pauses if p.cycle == deadline.cycle]
    total = deadline.total_limit
    if deadline.unit == Unit.HOURS:
        paused = sum(((p.ended_at or now) - p.started_at for p in current), dt.timedelta())
        due_at = deadline.started_at + dt.timedelta(hours=total) + paused
        return Computed(due_at, _local_date(due_at), False)
    if deadline.unit == Unit.WORKING_HOURS:
        seconds, provisional = total * 3600, False
        for p in current:
            answer = working_seconds_between(start=p.started_at, end=p.ended_at or now)
            seconds += answer.value
            provisional = provisional or answer.provisional
        answer = working_hours_add(start=deadline.started_at, seconds=seconds)
        return Computed(answer.value, _local_date(answer.value), provisional or answer.provisional)
    start = _local_date(deadline.started_at)
    provisional = False
    if deadline.unit == Unit.WORKING_DAYS:
        paused_days = 0
        for p in current:
            answer = workdays_between(start=_local_date(p.started_at), end=_local_date(p.ended_at or now))
            paused_days += max(answer.value, 0)
            provisional = provisional or answer.provisional
        answer = workdays_add(start=start, days=total + paused_days)
        return Computed(_end_of(answer.value), answer.value, provisional or answer.provisional)
    paused_days = sum((_local_date(p.ended_at or now) - _local_date(p.started_at)).days for p in current)
    due = start + dt.timedelta(days=total + paused_days)
    info = day_info(date=due)
    provisional = info.provisional
    while not info.is_workday:
        due += dt.timedelta(days=1)
        info = day_info(date=due)
        provisional = provisional or info.provisional
    return Computed(_end_of(due), due, provisional)


def deadline_due_soon_at(*, deadline: Deadline) -> dt.datetime:
    """The moment from which ``deadline_status`` says DUE_SOON (used by the sweep to skip rows that cannot change)."""
    if deadline.unit == Unit.HOURS:
        return deadline.due_at - dt.timedelta(hours=deadline.due_soon_before)
    if deadline.unit == Unit.WORKING_HOURS:
        return working_hours_add(start=deadline.due_at, seconds=-3600 * deadline.due_soon_before).value
    due = _local_date(deadline.due_at)
    if deadline.unit == Unit.WORKING_DAYS:
        # From this working day on, at most ``due_soon_before`` working days remain after today.
        first = workdays_add(start=due, days=-deadline.due_soon_before).value
    else:
        first = due - dt.timedelta(days=deadline.due_soon_before)
    return timezone.make_aware(dt.datetime.combine(first, dt.time.min))


def deadline_due_text(*, due_at: dt.datetime, provisional: bool, format: str = "%Y年%m月%d日") -> str:
    """A due date as people are told it — on a notice, in a message, on a timeline: followed by 暂定 while it rests on
    a year without an official holiday calendar (issue 13)."""
    from django.utils.translation import gettext as _

    date = timezone.localtime(due_at).strftime(format)
    return _("%(date)s (provisional)") % {"date": date} if provisional else date


def deadline_remaining(*, deadline: Deadline, now: dt.datetime | None = None) -> int | None:
    """Units left until the due moment (negative when overdue): working days, calendar days or whole hours."""
    if deadline.due_at is None:
        return None
    now = now or timezone.now()
    if deadline.unit == Unit.HOURS:
        return int((deadline.due_at - now).total_seconds() // 3600)
    if deadline.unit == Unit.WORKING_HOURS:
        if now <= deadline.due_at:
            return working_seconds_between(start=now, end=deadline.due_at).value // 3600
        return -(working_seconds_between(start=deadline.due_at, end=now).value // 3600)
    today, due = _local_date(now), _local_date(deadline.due_at)
    if deadline.unit == Unit.WORKING_DAYS:
        return workdays_between(start=today, end=due).value
    return (due - today).days


def deadline_status(*, deadline: Deadline, now: dt.datetime) -> str:
    if deadline.cancelled_at:
        return DeadlineStatus.CANCELLED
    if deadline.completed_at:
        return DeadlineStatus.MET if deadline.completed_at <= deadline.due_at else DeadlineStatus.MISSED
    if deadline.paused_at:
        return DeadlineStatus.PAUSED
    if now > deadline.due_at:
        return DeadlineStatus.OVERDUE
    if deadline.unit == Unit.HOURS:
        soon = deadline.due_at - now <= dt.timedelta(hours=deadline.due_soon_before)
    elif deadline.unit == Unit.WORKING_HOURS:
        soon = now >= deadline_due_soon_at(deadline=deadline)
    else:
        soon = deadline_remaining(deadline=deadline, now=now) <= deadline.due_soon_before
    return DeadlineStatus.DUE_SOON if soon else DeadlineStatus.RUNNING


def deadlines_for_case(*, obj):
    return Deadline.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))


def deadline_for_stage(*, obj, stage: str) -> Deadline | None:
    return deadlines_for_case(obj=obj).filter(stage=stage).order_by("-id").first()
