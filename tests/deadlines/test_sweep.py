"""The sweep at city scale: rows found by their moment (an index), people looked up once per department and role,
deadlines computed on an older calendar caught up, two sweeps never at once, a case at work never waited on."""
import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.deadlines.constants import DeadlineStatus, EventKind, Unit
from apps.deadlines.models import Deadline, DeadlineEvent
from apps.deadlines.services import (
    deadline_start,
    deadlines_sweep_run,
    sweep_lease_release,
    sweep_lease_take,
)
from apps.notifications.models import Notification
from apps.workdays.models import CalendarChange
from apps.workdays.services import calendar_year_enter, parse_day_lines
from apps.workflow.selectors import timeline_public
from tests.example_app.factories import make_world, submit

pytestmark = pytest.mark.django_db


def at(text):
    return timezone.make_aware(dt.datetime.fromisoformat(text))


@pytest.fixture
def world(roles):
    return make_world()


def clocks(world, n, started="2025-11-03 09:00", **kwargs):
    """``n`` cases of the example type with a 5-working-day clock each, long past due but stored as running."""
    made = []
    for _ in range(n):
        case = submit(world)
        made.append(deadline_start(obj=case, stage="check", label="核查期限", unit=Unit.WORKING_DAYS, limit=5,
                                   started_at=at(started), responsible_department=world["department"], **kwargs))
    return made


def test_the_sweep_costs_the_same_for_one_or_thirty_changes(world, django_capture_on_commit_callbacks):
    """Recipients are looked up once per department and role, cases once per type: no query per deadline."""
    counts = []
    deadlines_sweep_run()  # the lease row and the content types, once per database / process
    for n in (1, 30):
        Deadline.objects.all().delete()
        made = clocks(world, n)
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=False):
            assert deadlines_sweep_run() == n
        counts.append(len(queries))
        assert all(Deadline.objects.get(pk=d.pk).status == DeadlineStatus.OVERDUE for d in made)
    assert counts[0] == counts[1], counts
    # The second sweep finds nothing to do and reads no deadline rows one by one.
    with CaptureQueriesContext(connection) as queries:
        assert deadlines_sweep_run() == 0
    assert len(queries) < 12, [q["sql"] for q in queries]


def test_each_change_is_told_once_to_the_department(world, django_capture_on_commit_callbacks):
    clocks(world, 3)
    with django_capture_on_commit_callbacks(execute=True):
        deadlines_sweep_run()
        deadlines_sweep_run()
    told = Notification.objects.filter(title__contains="核查期限")
    assert told.count() == 3 * 2  # three clocks, the department's clerk and head, once each
    assert {n.recipient_id for n in told} == {world["clerk"].pk, world["head"].pk}


def test_a_clock_computed_on_an_older_calendar_is_caught_up_by_the_next_sweep(world, django_capture_on_commit_callbacks):
    """As when another process started the clock in the instant before it saw an entry, or the recompute task was
    lost with the broker: the beat sweep finds the row by its calendar version and moves it, recorded and told."""
    case = submit(world)
    clock = deadline_start(obj=case, stage="decision", label="决定期限", unit=Unit.WORKING_DAYS, limit=5,
                           started_at=at("2027-02-03 10:00"), responsible_department=world["department"])
    assert clock.provisional and timezone.localtime(clock.due_at).date() == dt.date(2027, 2, 16)
    holidays = parse_day_lines(text="2027-01-01 元旦\n2027-02-06..2027-02-14 春节", year=2027)
    with django_capture_on_commit_callbacks(execute=False):  # the task after commit never runs
        calendar_year_enter(actor=None, year=2027, holidays=holidays, workdays=[], accept_differences=True)
    assert Deadline.objects.get(pk=clock.pk).calendar_version < CalendarChange.objects.get().pk
    with django_capture_on_commit_callbacks(execute=True):
        deadlines_sweep_run()
    clock = Deadline.objects.get(pk=clock.pk)
    assert timezone.localtime(clock.due_at).date() == dt.date(2027, 2, 17) and not clock.provisional
    assert clock.calendar_version == CalendarChange.objects.get().pk
    assert DeadlineEvent.objects.filter(deadline=clock, kind=EventKind.MOVE).count() == 1
    assert any("2027-02-16 → 2027-02-17" in row["label"] for row in timeline_public(obj=case))
    # Safe to run twice: nothing moves again, nothing is told again.
    told = Notification.objects.filter(recipient=world["applicant"]).count()
    deadlines_sweep_run()
    assert DeadlineEvent.objects.filter(deadline=clock, kind=EventKind.MOVE).count() == 1
    assert Notification.objects.filter(recipient=world["applicant"]).count() == told


def test_an_entry_that_does_not_touch_a_clock_leaves_it_unrecorded(world, django_capture_on_commit_callbacks):
    case = submit(world)
    clock = deadline_start(obj=case, stage="decision", label="决定期限", unit=Unit.WORKING_DAYS, limit=5,
                           started_at=timezone.now())
    due = clock.due_at
    holidays = parse_day_lines(text="2030-01-01 元旦", year=2030)
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_enter(actor=None, year=2030, holidays=holidays, workdays=[], accept_differences=True)
    clock = Deadline.objects.get(pk=clock.pk)
    assert clock.due_at == due and clock.calendar_version == CalendarChange.objects.get().pk
    assert not DeadlineEvent.objects.filter(kind=EventKind.MOVE).exists()


def test_two_sweeps_never_run_at_once(world):
    made = clocks(world, 2)
    token = sweep_lease_take()
    assert token is not None and sweep_lease_take() is None
    assert deadlines_sweep_run() is None  # another sweep holds the lease: this one does nothing
    assert not Deadline.objects.filter(pk__in=[d.pk for d in made]).exclude(notified_status="").exists()
    assert not Notification.objects.exists()
    sweep_lease_release(token=token)
    assert deadlines_sweep_run() == 2
    assert all(Deadline.objects.get(pk=d.pk).notified_status == DeadlineStatus.OVERDUE for d in made)


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks: PostgreSQL (CI runs it)")
@pytest.mark.django_db(transaction=True)
def test_the_sweep_passes_over_a_case_a_clerk_is_working_on(roles):
    """Parent before child (ADR 0003): a service holds the case, then its clock. The sweep takes the case first and
    skips what is held, so neither waits on the other; the next sweep does the skipped row and its copy."""
    from apps.applications.models import Application
    from apps.deadlines.services import deadline_attach
    from tests.applications.factories import load_world, submitted

    world = load_world()
    pair = []
    for _ in range(2):
        application = submitted(world)
        clock = deadline_start(obj=application, stage="decision", label="决定期限", unit=Unit.WORKING_DAYS,
                               limit=5, started_at=at("2025-11-03 09:00"))
        deadline_attach(obj=application, deadline=clock)
        pair.append(clock)
    busy, free = pair
    holding, release = threading.Event(), threading.Event()

    def clerk():
        with transaction.atomic():
            Application.objects.select_for_update().get(pk=busy.object_id)
            holding.set()
            release.wait(30)
        connection.close()

    thread = threading.Thread(target=clerk)
    thread.start()
    try:
        assert holding.wait(10)
        deadlines_sweep_run()
        # Overdue from the start, not yet told: the free one is told now, the busy one is left for the next sweep.
        assert Deadline.objects.get(pk=free.pk).notified_status == DeadlineStatus.OVERDUE
        assert Deadline.objects.get(pk=busy.pk).notified_status == ""
    finally:
        release.set()
        thread.join()
    deadlines_sweep_run()
    assert Deadline.objects.get(pk=busy.pk).notified_status == DeadlineStatus.OVERDUE
