import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from apps.outbox.services import outbox_enqueue

from .constants import OperatorDayKind
from .exceptions import CalendarError, CalendarIncomplete
from .models import CalendarChange, CalendarDay, CalendarYear
from .selectors import calendar_cache_clear, statutory_holidays
from .signals import calendar_year_changed


def parse_day_lines(*, text: str, year: int) -> list[tuple[datetime.date, str]]:
    """Parse lines like ``2027-02-05 春节`` or ranges ``2027-02-05..2027-02-11 春节`` (also ``~`` or ``至``)."""
    days: list[tuple[datetime.date, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        head, _sep, name = line.partition(" ")
        for separator in ("..", "~", "至"):
            if separator in head:
                first, last = head.split(separator, 1)
                break
        else:
            first = last = head
        try:
            start = datetime.date.fromisoformat(first.strip())
            end = datetime.date.fromisoformat(last.strip())
        except ValueError:
            raise CalendarError(_("Line %(line)d: “%(text)s” is not a date like 2027-02-05.") % {"line": number, "text": head}) from None
        if end < start:
            raise CalendarError(_("Line %(line)d: the range ends before it starts.") % {"line": number})
        if start.year != year or end.year != year:
            raise CalendarError(_("Line %(line)d: the date is not in %(year)d.") % {"line": number, "year": year})
        current = start
        while current <= end:
            days.append((current, name.strip()))
            current += datetime.timedelta(days=1)
    return days


@transaction.atomic
def calendar_year_enter(
    *,
    actor,
    year: int,
    holidays: list[tuple[datetime.date, str]],
    workdays: list[tuple[datetime.date, str]],
    notice: str = "",
    accept_differences: bool = False,
) -> CalendarYear:
    """Record a year's official holidays and make-up working days, replacing what was entered before for it.

    Recorded as a CalendarChange (the calendar's new version); after commit the open deadlines it may move are
    recomputed (listeners of calendar_year_changed).
    """
    if not holidays:
        raise CalendarError(_("Enter at least the year's holidays."))
    holiday_dates = {d for d, _n in holidays}
    clash = sorted(holiday_dates & {d for d, _n in workdays})
    if clash:
        raise CalendarError(_("%(date)s is entered both as a holiday and as a working day.") % {"date": clash[0]})
    # 全国年节及纪念日放假办法: every statutory holiday is a holiday in every official notice. A year that leaves one
    # out (typed only its Spring Festival, say) would silently turn it into a working day: refused unless the
    # operator confirms that the notice really says so.
    missing = [(d, n) for d, n in statutory_holidays(year=year).items() if d not in holiday_dates]
    if missing and not accept_differences:
        raise CalendarIncomplete(
            _("These statutory holidays are not entered: %(days)s. Enter them as the notice lists them, or confirm "
              "that the notice differs.") % {"days": "、".join(f"{d.isoformat()} {n}" for d, n in missing)},
            missing=missing)
    weekday_workdays = [d for d, _n in workdays if d.weekday() < 5]
    if weekday_workdays:
        raise CalendarError(
            _("%(date)s is a weekday: only a Saturday or Sunday can be a make-up working day.")
            % {"date": weekday_workdays[0]}
        )
    calendar_year = CalendarYear.objects.select_for_update().filter(year=year).first()
    if calendar_year is None:
        calendar_year = CalendarYear.objects.create(year=year, notice=notice, entered_by=actor)
    else:
        calendar_year.notice = notice
        calendar_year.entered_by = actor
        calendar_year.save(update_fields=["notice", "entered_by", "entered_at"])
        calendar_year.days.all().delete()
    CalendarDay.objects.bulk_create(
        [CalendarDay(calendar_year=calendar_year, date=d, kind=OperatorDayKind.HOLIDAY, name=n) for d, n in holidays]
        + [CalendarDay(calendar_year=calendar_year, date=d, kind=OperatorDayKind.WORKDAY, name=n) for d, n in workdays]
    )
    # The new version: every process drops its cached years at its next check, and every open deadline computed on an
    # older version is recomputed (deadlines.services.deadlines_catch_up) — by the task enqueued below, or by the next
    # sweep should that task be lost.
    CalendarChange.objects.create(year=year, notice=notice, entered_by=actor)
    calendar_cache_clear()
    from .tasks import calendar_year_changed_notify

    transaction.on_commit(calendar_cache_clear)
    outbox_enqueue(calendar_year_changed_notify, year)
    return calendar_year


def calendar_year_changed_dispatch(*, year: int) -> None:
    """Run in the worker: drop this process's cached calendar, then let the services recompute their deadlines."""
    calendar_cache_clear()
    calendar_year_changed.send(sender=CalendarYear, year=year)
