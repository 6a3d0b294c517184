"""The working-day calendar: which days are working days, adding and counting them.

Sources, first match wins, per year:
1. a CalendarYear entered by an operator from the State Council's notice;
2. the chinesecalendar package (official notices 2004–2026; it raises for other years);
3. provisional: the statutory holidays of 全国年节及纪念日放假办法 (2024 revision: 元旦 1, 春节 4 from 除夕, 清明 1,
   劳动节 2, 端午 1, 中秋 1, 国庆 3; a holiday on a weekend is made up on the next working day) as computed by the
   ``holidays`` package's China calendar, plus weekends. Answers resting on such a year say ``provisional=True``.

Year data is cached per process and checked against the calendar's version (the latest CalendarChange id) once per
unit of work — each request, each Celery task, and at most every ``CHECK_SECONDS`` outside them — so that no process
computes on a year older than the latest entry. Deadlines record the version they were computed on
(``Deadline.calendar_version``): one computed in the instant between an entry's commit and that check is found by the
next sweep and recomputed.
"""
import bisect
import datetime
import functools
import threading
import time
from dataclasses import dataclass

from .constants import DayKind, OperatorDayKind, YearSource

CHECK_SECONDS = 1.0
_cache: dict[int, "YearData"] = {}
_lock = threading.Lock()
_state = {"version": None}  # the version the cached years were read at
_scope = threading.local()  # .checked_at: when this thread last compared versions (None: at the next use); .depth


@dataclass(frozen=True)
class YearData:
    year: int
    source: str
    holidays: dict  # date -> name
    workdays: dict  # date -> name (make-up working days on a weekend)

    @property
    def provisional(self) -> bool:
        return self.source == YearSource.PROVISIONAL

    @functools.cached_property
    def working_days(self) -> list[int]:
        """The year's working days as sorted ordinals (the same rule as day_info)."""
        days = []
        for ordinal in range(datetime.date(self.year, 1, 1).toordinal(), datetime.date(self.year, 12, 31).toordinal() + 1):
            date = datetime.date.fromordinal(ordinal)
            if date in self.workdays or (date not in self.holidays and date.weekday() < 5):
                days.append(ordinal)
        return days


@dataclass(frozen=True)
class DayInfo:
    date: datetime.date
    kind: str
    name: str
    provisional: bool

    @property
    def is_workday(self) -> bool:
        return self.kind == DayKind.WORKDAY


@dataclass(frozen=True)
class Answer:
    """A calendar answer and whether any year it rests on is provisional."""

    value: object
    provisional: bool


def calendar_cache_clear() -> None:
    with _lock:
        _cache.clear()
        _state["version"] = None


def calendar_version() -> int:
    """The latest calendar version in the database (0 before any entry): one indexed read."""
    from .models import CalendarChange

    return CalendarChange.objects.order_by("-id").values_list("id", flat=True).first() or 0


def calendar_scope_begin(**_kwargs) -> None:
    """A request or a task begins: compare versions again at its first calendar use (connected in apps.py)."""
    _scope.checked_at = None
    _scope.depth = getattr(_scope, "depth", 0) + 1  # an eager task runs inside a request


def calendar_scope_end(**_kwargs) -> None:
    _scope.depth = max(getattr(_scope, "depth", 0) - 1, 0)


def calendar_check(*, force: bool = False) -> int:
    """The version the calendar answers from, after dropping cached years if another process changed the calendar.
    Read once per request or task (and every CHECK_SECONDS outside them), or now when ``force``."""
    now = time.monotonic()
    checked_at = getattr(_scope, "checked_at", None)
    known = _state["version"]
    if not force and known is not None and checked_at is not None and (getattr(_scope, "depth", 0)
                                                                       or now - checked_at < CHECK_SECONDS):
        return known
    version = calendar_version()
    with _lock:
        if _state["version"] != version:
            _cache.clear()
            _state["version"] = version
    _scope.checked_at = now
    return version


def calendar_changes_since(*, version: int) -> list:
    """The entries after ``version``, oldest first: (version, year, notice)."""
    from .models import CalendarChange

    return list(CalendarChange.objects.filter(id__gt=version).order_by("id").values_list("id", "year", "notice"))


def _package_year(year: int) -> YearData | None:
    import chinese_calendar
    from chinese_calendar import constants

    try:
        chinese_calendar.is_holiday(datetime.date(year, 1, 1))
    except NotImplementedError:
        return None
    holidays = {d: str(n) for d, n in constants.holidays.items() if d.year == year}
    workdays = {d: str(n) for d, n in constants.workdays.items() if d.year == year}
    return YearData(year, YearSource.PACKAGE, holidays, workdays)


def _provisional_year(year: int) -> YearData:
    import holidays as holidays_pkg

    cn = holidays_pkg.China(years=[year], language="zh_CN")
    return YearData(year, YearSource.PROVISIONAL, {d: str(n) for d, n in cn.items() if d.year == year}, {})


def statutory_holidays(*, year: int) -> dict:
    """The days 全国年节及纪念日放假办法 makes holidays in ``year`` (date → name), without the days a notice adds to
    make a run of them: every official notice keeps each of these as a holiday."""
    import holidays as holidays_pkg

    days = holidays_pkg.China(years=[year], language="zh_CN", observed=False)
    # For years with a known notice the package adds its rest days (“休息日（由 … 调休）”): not statutory.
    return {d: str(n) for d, n in sorted(days.items()) if d.year == year and "调休" not in str(n)}


def _operator_year(year: int) -> YearData | None:
    from .models import CalendarDay, CalendarYear

    if not CalendarYear.objects.filter(year=year).exists():
        return None
    holidays, workdays = {}, {}
    for day in CalendarDay.objects.filter(calendar_year__year=year):
        (holidays if day.kind == OperatorDayKind.HOLIDAY else workdays)[day.date] = day.name
    return YearData(year, YearSource.OPERATOR, holidays, workdays)


def year_data(year: int) -> YearData:
    version = calendar_check()
    cached = _cache.get(year)
    if cached is not None:
        return cached
    data = _operator_year(year) or _package_year(year) or _provisional_year(year)
    with _lock:
        # Kept only if no newer version was seen meanwhile (another thread of this process): a year read at the old
        # version must not be cached under the new one.
        if _state["version"] == version:
            _cache[year] = data
    return data


def day_info(*, date: datetime.date) -> DayInfo:
    data = year_data(date.year)
    if date in data.workdays:
        return DayInfo(date, DayKind.WORKDAY, data.workdays[date], data.provisional)
    if date in data.holidays:
        return DayInfo(date, DayKind.HOLIDAY, data.holidays[date], data.provisional)
    if date.weekday() >= 5:
        return DayInfo(date, DayKind.WEEKEND, "", data.provisional)
    return DayInfo(date, DayKind.WORKDAY, "", data.provisional)


def is_workday(*, date: datetime.date) -> bool:
    return day_info(date=date).is_workday


def workdays_add(*, start: datetime.date, days: int) -> Answer:
    """The date ``days`` working days after ``start`` (start itself not counted; negative counts go back).

    行政许可法 art. 82: a limit in days counts working days, not holidays; the day of the event is not counted.
    Each year's working days are a sorted list (YearData.working_days): a bisection per year crossed, not a loop over
    the days — the recompute after a calendar entry runs this twice for each of 200,000 open deadlines.
    """
    data = year_data(start.year)
    provisional = data.provisional
    if days == 0:
        return Answer(start, provisional)
    year, remaining, point = start.year, abs(days), start.toordinal()
    while True:
        data = year_data(year)
        provisional = provisional or data.provisional
        working = data.working_days
        if days > 0:
            index = bisect.bisect_right(working, point)  # the first working day after ``point``
            if index + remaining <= len(working):
                return Answer(datetime.date.fromordinal(working[index + remaining - 1]), provisional)
            remaining -= len(working) - index
            year += 1
            point = datetime.date(year, 1, 1).toordinal() - 1
        else:
            index = bisect.bisect_left(working, point)  # working days before ``point`` in this year
            if index >= remaining:
                return Answer(datetime.date.fromordinal(working[index - remaining]), provisional)
            remaining -= index
            year -= 1
            point = datetime.date(year + 1, 1, 1).toordinal()


def workdays_between(*, start: datetime.date, end: datetime.date) -> Answer:
    """Working days after ``start`` up to and including ``end`` (negative when ``end`` is before ``start``)."""
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    count = 0
    provisional = year_data(start.year).provisional
    first, last = start.toordinal(), end.toordinal()
    for year in range(start.year, end.year + 1):
        data = year_data(year)
        if year > start.year or start < end:
            provisional = provisional or data.provisional
        count += bisect.bisect_right(data.working_days, last) - bisect.bisect_right(data.working_days, first)
    return Answer(sign * count, provisional)


def years_missing_official_data(*, today: datetime.date) -> list[int]:
    """Years the admin should warn about: next year from November on (and this year, should it ever be missing)."""
    years = [today.year] + ([today.year + 1] if today.month >= 11 else [])
    return [year for year in years if year_data(year).provisional]


def calendar_year_list():
    from .models import CalendarYear

    return CalendarYear.objects.select_related("entered_by").prefetch_related("days")


def receipt_moment(*, at: datetime.datetime) -> datetime.datetime:
    """When a submission made online at ``at`` counts as received, by the policy ``settings.RECEIPT_AFTER_HOURS``.

    "same_day" (default): received when made, whatever the day or hour — the limit counts from the next day.
    "next_workday": made on a non-working day or outside ``settings.OFFICE_HOURS``, it is received at the opening of
    the next working day (as a letter is received when the office next signs for it, 政府信息公开条例 art. 31), and the
    limit counts from the working day after that. The law and the choice are written down in docs/architecture.md.
    """
    from django.conf import settings
    from django.utils import timezone

    if getattr(settings, "RECEIPT_AFTER_HOURS", "same_day") != "next_workday":
        return at
    # The office opens at the start of the first period of OFFICE_HOURS ("08:30-12:00,13:30-17:30") and closes at the
    # end of the last: a submission at lunch time is received when made.
    periods = [item.split("-") for item in settings.OFFICE_HOURS]
    opens, closes = datetime.time.fromisoformat(periods[0][0].strip()), datetime.time.fromisoformat(periods[-1][1].strip())
    local = timezone.localtime(at)
    if is_workday(date=local.date()) and opens <= local.time() < closes:
        return at
    day = local.date() if local.time() < opens else local.date() + datetime.timedelta(days=1)
    while not is_workday(date=day):
        day += datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, opens))
