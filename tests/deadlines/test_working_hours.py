"""Limits in working hours (工作时, issue 17 item 8): only the office hours (settings.OFFICE_HOURS) of working days of
the project's calendar count."""
import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from apps.deadlines.constants import DeadlineStatus, Unit
from apps.deadlines.selectors import deadline_remaining, deadline_status, office_hours
from apps.deadlines.services import deadline_extend, deadline_pause, deadline_restart, deadline_resume, deadline_start
from apps.workdays.services import calendar_year_enter, parse_day_lines
from tests.example_app.factories import make_world, submit

pytestmark = pytest.mark.django_db

OFFICE = ("08:30-12:00", "13:30-17:30")


@pytest.fixture(autouse=True)
def office(settings):
    settings.OFFICE_HOURS = OFFICE


def at(text):
    return timezone.make_aware(dt.datetime.fromisoformat(text))


def local(moment):
    return timezone.localtime(moment).replace(tzinfo=None)


@pytest.fixture
def case(roles):
    return submit(make_world())


def start(case, started, limit=4, **kwargs):
    return deadline_start(obj=case, stage="test", label="处置", unit=Unit.WORKING_HOURS, limit=limit,
                          started_at=at(started), **kwargs)


def test_four_working_hours_from_friday_afternoon_end_monday_at_eleven(case):
    # Fri 7 Nov 2025 16:00–17:30 (1.5 h), then Mon 10 Nov 08:30–11:00 (2.5 h).
    deadline = start(case, "2025-11-07 16:00")
    assert local(deadline.due_at) == dt.datetime(2025, 11, 10, 11, 0)
    assert not deadline.provisional


def test_lunch_does_not_count(case):
    # Mon 10 Nov 10:00–12:00 (2 h), 13:30–15:30 (2 h).
    assert local(start(case, "2025-11-10 10:00").due_at) == dt.datetime(2025, 11, 10, 15, 30)


def test_a_limit_that_uses_up_the_day_ends_at_the_close_not_the_next_morning(case):
    assert local(start(case, "2025-11-10 13:30").due_at) == dt.datetime(2025, 11, 10, 17, 30)


def test_national_day_does_not_count_and_the_make_up_saturday_does(case):
    # Tue 30 Sep 2025 16:00–17:30 (1.5 h); 1–8 Oct off (国庆、中秋); Thu 9 Oct 08:30–11:00.
    assert local(start(case, "2025-09-30 16:00").due_at) == dt.datetime(2025, 10, 9, 11, 0)
    # Sat 11 Oct is a make-up working day (调休): a clock started Fri 10 Oct 16:00 runs on it.
    assert local(start(case, "2025-10-10 16:00").due_at) == dt.datetime(2025, 10, 11, 11, 0)


def test_a_report_at_night_starts_counting_at_the_next_opening(case):
    # Sunday night → Mon 08:30–12:00 (3.5 h) + 13:30–14:00.
    assert local(start(case, "2025-11-09 22:00").due_at) == dt.datetime(2025, 11, 10, 14, 0)


def test_pause_resume_extend_and_restart_count_office_hours(case):
    deadline = start(case, "2025-11-10 09:00")  # 09:00–12:00, 13:30–14:30
    assert local(deadline.due_at) == dt.datetime(2025, 11, 10, 14, 30)
    deadline_pause(deadline=deadline, reason="现场鉴定", at=at("2025-11-10 10:00"))
    deadline = deadline_resume(deadline=deadline, at=at("2025-11-10 14:00"))
    # The pause held 10:00–12:00 and 13:30–14:00 of office hours (2.5 h): 6.5 h in all → 17:00.
    assert local(deadline.due_at) == dt.datetime(2025, 11, 10, 17, 0)
    deadline = deadline_extend(deadline=deadline, units=2, reason="部件需订货")
    assert local(deadline.due_at) == dt.datetime(2025, 11, 11, 10, 0)  # 8.5 h: Mon 7 h, Tue 08:30–10:00
    deadline = deadline_restart(deadline=deadline, reason="重新派遣", at=at("2025-11-11 16:00"))
    assert local(deadline.due_at) == dt.datetime(2025, 11, 12, 11, 0)


def test_status_due_soon_and_remaining_follow_office_hours(case):
    deadline = start(case, "2025-11-07 16:00", due_soon_before=1)  # due Mon 11:00, due soon from Mon 10:00
    assert local(deadline.due_soon_at) == dt.datetime(2025, 11, 10, 10, 0)
    # A whole weekend passes and the clock still has 2.5 working hours.
    assert deadline_status(deadline=deadline, now=at("2025-11-09 20:00")) == DeadlineStatus.RUNNING
    assert deadline_remaining(deadline=deadline, now=at("2025-11-09 20:00")) == 2
    moment = deadline.started_at
    while moment < deadline.due_at:
        status = deadline_status(deadline=deadline, now=moment)
        assert (status == DeadlineStatus.DUE_SOON) == (moment >= deadline.due_soon_at), moment
        moment += dt.timedelta(minutes=30)
    assert deadline_status(deadline=deadline, now=at("2025-11-10 11:01")) == DeadlineStatus.OVERDUE


def test_entering_the_official_year_moves_a_working_hours_clock(case, django_capture_on_commit_callbacks):
    # 2027 has no official calendar yet: provisionally 5–10 Feb are off (除夕 on Fri 5 Feb), so a report on Fri
    # 5 Feb 16:00 starts counting on Thu 11 Feb: 08:30–12:00 (3.5 h) + 13:30–14:00.
    deadline = start(case, "2027-02-05 16:00")
    assert deadline.provisional
    assert local(deadline.due_at) == dt.datetime(2027, 2, 11, 14, 0)
    holidays = parse_day_lines(text="2027-01-01 元旦\n2027-02-06..2027-02-14 春节", year=2027)
    workdays = parse_day_lines(text="2027-02-20 春节调休", year=2027)
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_enter(actor=None, year=2027, holidays=holidays, workdays=workdays, accept_differences=True)
    deadline.refresh_from_db()
    # Officially Fri 5 Feb is worked: 16:00–17:30, then 6–14 Feb off, Mon 15 Feb 08:30–11:00.
    assert not deadline.provisional
    assert local(deadline.due_at) == dt.datetime(2027, 2, 15, 11, 0)
    assert deadline.events.filter(kind="move").exists()


@pytest.mark.parametrize("value", [("8:30-12:00", "11:00-17:30"), ("12:00-08:30",), ("morning",), ()])
def test_malformed_office_hours_are_refused(settings, value):
    settings.OFFICE_HOURS = value
    with pytest.raises(ImproperlyConfigured):
        office_hours()


def test_the_shipped_office_hours_serve_both_working_hours_and_the_receipt(settings):
    """Review finding (issue 17): OFFICE_HOURS was set twice in the settings, the receipt's pair overriding the
    periods, so a working-hours category failed with the shipped settings. One setting now; read as shipped."""
    import datetime as dt

    from django.utils import timezone

    from portal.settings import base
    from apps.workdays.selectors import receipt_moment

    settings.OFFICE_HOURS = base.OFFICE_HOURS
    assert office_hours() == [(dt.time(8, 30), dt.time(12)), (dt.time(13, 30), dt.time(17, 30))]
    settings.RECEIPT_AFTER_HOURS = "next_workday"
    evening = timezone.make_aware(dt.datetime(2025, 11, 19, 17, 15))  # a Wednesday, before closing at 17:30
    assert receipt_moment(at=evening) == evening
