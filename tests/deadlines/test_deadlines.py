import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from apps.deadlines.constants import DeadlineStatus, Unit
from apps.deadlines.exceptions import DeadlineError
from apps.deadlines.models import Deadline
from apps.deadlines.selectors import deadline_remaining, deadline_status
from apps.deadlines.services import (
    deadline_complete,
    deadline_extend,
    deadline_pause,
    deadline_restart,
    deadline_resume,
    deadline_start,
    deadline_sweep_one,
)
from apps.deadlines.tasks import deadlines_sweep
from apps.notifications.models import Notification
from apps.workdays.services import calendar_year_enter, parse_day_lines
from tests.example_app.factories import make_world, submit

pytestmark = pytest.mark.django_db


def at(text):
    return timezone.make_aware(dt.datetime.fromisoformat(text))


@pytest.fixture
def world(roles):
    return make_world()


@pytest.fixture
def case(world):
    return submit(world)


def start(case, unit=Unit.WORKING_DAYS, limit=5, started="2025-09-24 10:00", **kwargs):
    return deadline_start(obj=case, stage="test", label="测试期限", unit=unit, limit=limit, started_at=at(started),
                          **kwargs)


def test_working_days_skip_national_day(case):
    deadline = start(case, started="2025-09-26 09:00")
    # After Fri 26 Sep: Sun 28 (调休上班), Mon 29, Tue 30, then 1–8 Oct off, Thu 9, Fri 10.
    assert timezone.localtime(deadline.due_at).date() == dt.date(2025, 10, 10)
    assert not deadline.provisional


def test_a_pause_spanning_national_day_does_not_count(case):
    deadline = start(case, started="2025-09-24 10:00")
    assert timezone.localtime(deadline.due_at).date() == dt.date(2025, 9, 30)
    deadline = deadline_pause(deadline=deadline, reason="专家评审", at=at("2025-09-26 15:00"))
    assert deadline.status == DeadlineStatus.PAUSED
    deadline = deadline_resume(deadline=deadline, at=at("2025-10-13 09:00"))
    # Used before the pause: 25, 26 Sep. Paused: 28, 29, 30 Sep, 9, 10, 11 (Sat, 调休), 13 Oct — the holiday itself
    # was never a working day. Left after resuming: 3 → 14, 15, 16 Oct.
    assert timezone.localtime(deadline.due_at).date() == dt.date(2025, 10, 16)
    assert deadline.pauses.count() == 1 and deadline.events.filter(kind="resume").exists()


def test_pause_and_resume_any_number_of_times(case):
    deadline = start(case, started="2025-11-03 09:00")  # Monday; due Monday 10 Nov
    assert timezone.localtime(deadline.due_at).date() == dt.date(2025, 11, 10)
    for pause, resume in (("2025-11-04 10:00", "2025-11-05 10:00"), ("2025-11-06 10:00", "2025-11-07 10:00")):
        deadline = deadline_pause(deadline=deadline, reason="检验检测", at=at(pause))
        deadline = deadline_resume(deadline=deadline, at=at(resume))
    assert timezone.localtime(deadline.due_at).date() == dt.date(2025, 11, 12)
    with pytest.raises(DeadlineError):
        deadline_resume(deadline=deadline)


def test_hours_cross_midnight(case):
    deadline = start(case, unit=Unit.HOURS, limit=4, started="2026-03-10 22:30", due_soon_before=1)
    assert timezone.localtime(deadline.due_at) == at("2026-03-11 02:30")
    assert deadline_status(deadline=deadline, now=at("2026-03-11 01:00")) == DeadlineStatus.RUNNING
    assert deadline_status(deadline=deadline, now=at("2026-03-11 01:45")) == DeadlineStatus.DUE_SOON
    assert deadline_status(deadline=deadline, now=at("2026-03-11 02:31")) == DeadlineStatus.OVERDUE
    assert deadline_remaining(deadline=deadline, now=at("2026-03-10 23:30")) == 3
    deadline = deadline_pause(deadline=deadline, reason="等待天亮现场核查", at=at("2026-03-10 23:00"))
    deadline = deadline_resume(deadline=deadline, at=at("2026-03-10 23:30"))
    assert timezone.localtime(deadline.due_at) == at("2026-03-11 03:00")


def test_calendar_days_ending_on_a_holiday_end_on_the_next_working_day(case):
    deadline = start(case, unit=Unit.CALENDAR_DAYS, limit=10, started="2025-09-21 10:00")
    assert timezone.localtime(deadline.due_at).date() == dt.date(2025, 10, 9)  # 1 Oct is 国庆


def test_restart_runs_from_the_resubmission(case):
    deadline = start(case, started="2025-11-03 09:00")
    deadline = deadline_pause(deadline=deadline, reason="补正", at=at("2025-11-04 09:00"))
    deadline = deadline_restart(deadline=deadline, reason="申请人补正后重新提交", at=at("2025-11-20 16:00"))
    assert deadline.cycle == 2 and deadline.paused_at is None
    assert timezone.localtime(deadline.due_at).date() == dt.date(2025, 11, 27)


def test_extension_needs_a_reason(case):
    deadline = start(case, started="2025-11-03 09:00")
    with pytest.raises(DeadlineError):
        deadline_extend(deadline=deadline, units=3, reason=" ")
    deadline = deadline_extend(deadline=deadline, units=3, reason="情况复杂，经负责人批准延长")
    assert timezone.localtime(deadline.due_at).date() == dt.date(2025, 11, 13)
    assert deadline.events.get(kind="extend").reason.startswith("情况复杂")


def test_completion_records_met_or_late(case):
    deadline = start(case, started="2025-11-03 09:00")
    assert deadline_complete(deadline=deadline, at=at("2025-11-10 17:00")).status == DeadlineStatus.MET
    late = start(case, started="2025-11-03 09:00")
    assert deadline_complete(deadline=late, at=at("2025-11-11 09:00")).status == DeadlineStatus.MISSED


def test_sweep_notifies_once_per_change(world, case, django_capture_on_commit_callbacks):
    # The example's acceptance deadline: 5 working days from submission, due-soon 1 day before.
    deadline = Deadline.objects.get(stage="acceptance")
    due = timezone.localtime(deadline.due_at)
    soon = due - dt.timedelta(hours=12)
    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_sweep_one(deadline_id=deadline.pk, now=soon)
        assert not deadline_sweep_one(deadline_id=deadline.pk, now=soon + dt.timedelta(minutes=5))
    assert Deadline.objects.get(pk=deadline.pk).status == DeadlineStatus.DUE_SOON
    assert {n.recipient for n in Notification.objects.all()} == {world["clerk"], world["head"]}
    first_id = Notification.objects.order_by("-pk").first().pk
    later = due + dt.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_sweep_one(deadline_id=deadline.pk, now=later)
        assert not deadline_sweep_one(deadline_id=deadline.pk, now=later + dt.timedelta(hours=1))
    overdue = Notification.objects.filter(pk__gt=first_id)
    # No single responsible clerk yet: the department's clerks and its head, for due-soon and again for overdue.
    assert {n.recipient for n in overdue} == {world["clerk"], world["head"]}
    assert sorted(m.to[0] for m in mail.outbox) == ["clerk@example.gov.cn", "clerk@example.gov.cn",
                                                    "head@example.gov.cn", "head@example.gov.cn"]


def test_sweep_task_picks_up_what_changed(case):
    deadline = start(case, started="2025-11-03 09:00")  # long past due, though stored as running
    Deadline.objects.filter(pk=deadline.pk).update(status=DeadlineStatus.RUNNING)
    Deadline.objects.filter(stage="acceptance").update(status=DeadlineStatus.RUNNING)
    assert deadlines_sweep() == 1
    assert Deadline.objects.get(pk=deadline.pk).status == DeadlineStatus.OVERDUE
    assert deadlines_sweep() == 0


def test_provisional_deadlines_are_recomputed_when_the_official_year_is_entered(case, django_capture_on_commit_callbacks):
    deadline = start(case, started="2027-02-03 10:00")  # provisional: 5–10 Feb off by the statutory rule
    assert deadline.provisional
    # After Wed 3 Feb: Thu 4; 5 (除夕) to 10 Feb off; Thu 11, Fri 12, Mon 15, Tue 16.
    assert timezone.localtime(deadline.due_at).date() == dt.date(2027, 2, 16)
    holidays = parse_day_lines(text="2027-01-01 元旦\n2027-02-06..2027-02-14 春节", year=2027)
    workdays = parse_day_lines(text="2027-02-20 春节调休", year=2027)
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_enter(actor=None, year=2027, holidays=holidays, workdays=workdays, accept_differences=True)
    deadline.refresh_from_db()
    assert not deadline.provisional
    # After Wed 3 Feb: Thu 4, Fri 5, then 6–14 off, Mon 15, Tue 16, Wed 17.
    assert timezone.localtime(deadline.due_at).date() == dt.date(2027, 2, 17)


def test_badge_for_lists(case):
    from django.utils import translation

    from apps.deadlines.admin import deadline_badge

    deadline = start(case, started="2025-11-03 09:00")  # due Mon 10 Nov 2025
    with translation.override("zh-hans"):
        assert "剩余 3 工作日" in deadline_badge(deadline, now=at("2025-11-05 10:00"))
        deadline.status = DeadlineStatus.OVERDUE
        assert "已超期 2 工作日" in deadline_badge(deadline, now=at("2025-11-12 10:00"))
        future = start(case, started="2026-12-28 09:00")
        assert "暂定" in deadline_badge(future, now=at("2026-12-28 10:00"))


@pytest.mark.parametrize("unit, limit, soon, started", [
    (Unit.WORKING_DAYS, 5, 1, "2025-09-24 10:00"),  # over National Day
    (Unit.WORKING_DAYS, 5, 1, "2025-11-04 10:00"),  # due on a Tuesday: the weekend before is not yet due soon
    (Unit.WORKING_DAYS, 10, 3, "2026-02-09 10:00"),  # over Spring Festival
    (Unit.CALENDAR_DAYS, 10, 2, "2025-09-21 10:00"),
    (Unit.HOURS, 4, 1, "2026-03-10 22:30"),
])
def test_due_soon_at_agrees_with_the_status_at_every_hour(case, unit, limit, soon, started):
    """The sweep skips running rows before ``due_soon_at``: that moment must be exactly when the status turns."""
    deadline = start(case, unit=unit, limit=limit, started=started, due_soon_before=soon)
    moment = deadline.started_at
    while moment < deadline.due_at:
        status = deadline_status(deadline=deadline, now=moment)
        assert (status == DeadlineStatus.DUE_SOON) == (moment >= deadline.due_soon_at), moment
        moment += dt.timedelta(hours=1) if unit == Unit.HOURS else dt.timedelta(hours=6)
