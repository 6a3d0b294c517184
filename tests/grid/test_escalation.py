"""The escalation ladder (issue 17, deliverable 3), climbed by the deadline sweep on its own: due soon → whose step
it is; overdue → their department head and the dispatch centre; overdue by a further configured time → the district's
command centre, then the city's. Each level sees its escalated cases; each climb is on the timeline and counted."""
import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from apps.deadlines.services import deadlines_sweep_run
from apps.grid.constants import Channel, EscalationLevel, Status, Urgency
from apps.grid.models import GridCase
from apps.grid.selectors import case_stats
from apps.grid import services
from apps.notifications.models import Notification
from apps.organizations.constants import Role
from apps.organizations.models import Department
from apps.workflow.models import TimelineEntry
from apps.workflow.selectors import timeline_public
from tests.accounts.factories import StaffFactory
from tests.workflow.door import dashboard, press

from .factories import load_people, load_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, settings):
    settings.GRID_ESCALATION_HOURS = (24, 72)
    world = load_people(load_world())
    dept = {d.code: d for d in Department.objects.filter(code__in=[
        "xinglongtai-urban-management", "xinglongtai-grid-command", "shuangtaizi-grid-command", "city-grid-command"])}
    world["head"] = StaffFactory(department=dept["xinglongtai-urban-management"], roles=[Role.DEPARTMENT_HEAD])
    world["district_centre"] = StaffFactory(department=dept["xinglongtai-grid-command"], roles=[Role.DISPATCHER])
    world["other_district_centre"] = StaffFactory(department=dept["shuangtaizi-grid-command"],
                                                  roles=[Role.DISPATCHER])
    world["city_centre"] = StaffFactory(department=dept["city-grid-command"], roles=[Role.DISPATCHER])
    return world


def _dispatched(client, world, n=1):
    """Urgent 暴露垃圾 in the first grid, registered through the button: with 兴隆台区城管, handling due in 4 hours."""
    cases = []
    for _ in range(n):
        case = services.case_report(channel=Channel.PHOTO, description="垃圾", lat=41.105, lng=122.005,
                                    category=world["garbage"], urgency=Urgency.URGENT, reporter=world["citizen"])
        press(client, user=world["dispatcher"], obj=case, name="register")
        case.refresh_from_db()
        assert case.status == Status.DISPATCHED and case.current_deadline.stage == "handle"
        cases.append(case)
    return cases


def _told(user, case):
    return Notification.objects.filter(recipient=user, body__contains=case.number).count()


def _at(case, **delta):
    return case.current_deadline.due_at + dt.timedelta(**delta)


def test_the_ladder_is_climbed_by_the_sweep_on_its_own(client, world):
    (case,) = _dispatched(client, world)
    Notification.objects.all().delete()

    deadlines_sweep_run(now=_at(case, minutes=-30))  # due soon: the handlers whose step it is, nobody above
    assert _told(world["handler"], case) == 1
    assert not any(_told(world[k], case) for k in ("head", "dispatcher", "district_centre", "city_centre"))

    deadlines_sweep_run(now=_at(case, minutes=5))  # overdue: + their head and the dispatch centre
    case.refresh_from_db()
    assert case.escalation_level == EscalationLevel.OVERDUE and case.escalations == 1
    assert _told(world["head"], case) == 1 and _told(world["dispatcher"], case) >= 1
    assert not _told(world["district_centre"], case)

    deadlines_sweep_run(now=_at(case, hours=25))  # a further 24 hours: the district's command centre
    case.refresh_from_db()
    assert case.escalation_level == EscalationLevel.DISTRICT and case.escalations == 2
    assert _told(world["district_centre"], case) == 1
    assert not _told(world["other_district_centre"], case) and not _told(world["city_centre"], case)

    deadlines_sweep_run(now=_at(case, hours=73))  # 72 hours: the city's
    case.refresh_from_db()
    assert case.escalation_level == EscalationLevel.CITY and case.escalations == 3
    assert _told(world["city_centre"], case) == 1
    deadlines_sweep_run(now=_at(case, hours=200))  # the top: nothing more, nobody told twice
    assert _told(world["city_centre"], case) == 1 and _told(world["district_centre"], case) == 1

    lines = [row["label"] for row in timeline_public(obj=case) if "升级" in row["label"]]
    assert len(lines) == 3, lines


def test_each_level_sees_its_escalated_cases_in_its_queue(client, world):
    case, calm = _dispatched(client, world, n=2)
    deadlines_sweep_run(now=_at(case, hours=25))  # both overdue past the district rung
    calm_deadline = calm.current_deadline
    case.refresh_from_db()
    calm.refresh_from_db()
    assert case.escalation_level == calm.escalation_level == EscalationLevel.DISTRICT
    # The calm one is handled: its next step starts at the foot of the ladder; the count stays for 绩效考核.
    press(client, user=world["handler"], obj=calm, name="handle", data={"result": "已清运"})
    calm.refresh_from_db()
    assert calm.escalation_level == EscalationLevel.NONE and calm.escalations == 2 and calm_deadline.pk
    url = reverse("admin:grid_gridcase_changelist") + "?queue=escalated"
    for key, sees in (("dispatcher", True), ("head", True), ("district_centre", True),
                      ("other_district_centre", False), ("city_centre", False)):
        queues = dashboard(client, user=world[key])
        client.force_login(world[key])
        listing = client.get(url).content.decode()
        assert (case.number in listing) is sees, key
        assert calm.number not in listing, key
        assert queues["grid.escalated"][0] == ("1" if sees else "0"), key
        detail = client.get(reverse("admin:grid_gridcase_change", args=[case.pk]))
        assert detail.status_code == (200 if sees else 404), key
    deadlines_sweep_run(now=_at(case, hours=73))
    client.force_login(world["city_centre"])
    assert case.number in client.get(url).content.decode()
    # Nobody but the case's own people may act on it: the centres see, they do not handle.
    assert press(client, user=world["district_centre"], obj=case, name="handle",
                 data={"result": "x"}).status_code == 200
    assert GridCase.objects.get(pk=case.pk).status == Status.DISPATCHED


def test_escalations_are_counted_in_the_performance_figures(client, world):
    case, _other = _dispatched(client, world, n=2)
    deadlines_sweep_run(now=_at(case, minutes=5))
    now = timezone.now()
    rows = case_stats(group="department", start=now - dt.timedelta(days=1), end=now + dt.timedelta(days=1))
    row = next(r for r in rows if r["code"] == "xinglongtai-urban-management")
    assert row["escalated"] == 2 and row["escalation_rate"] == 100.0
    client.force_login(world["dispatcher"])
    page = client.get(reverse("admin:grid_gridcase_stats") + "?group=department").content.decode()
    assert "升级率" in page


def test_the_sweep_does_not_query_per_escalated_case(client, world, django_assert_max_num_queries):
    (one,) = _dispatched(client, world)
    connection.queries_log.clear()  # a capped deque (9,000): a long setup would leave nothing to count
    with django_assert_max_num_queries(200) as first:
        deadlines_sweep_run(now=_at(one, hours=25))
    counted = len(first.captured_queries)  # read now: the slice is taken from the log when asked
    assert GridCase.objects.get(pk=one.pk).escalation_level == EscalationLevel.DISTRICT
    many = _dispatched(client, world, n=30)
    connection.queries_log.clear()
    with django_assert_max_num_queries(counted):
        deadlines_sweep_run(now=_at(many[-1], hours=25))
    assert set(GridCase.objects.filter(pk__in=[c.pk for c in many]).values_list("escalation_level", flat=True)) == {
        EscalationLevel.DISTRICT}
    assert TimelineEntry.objects.filter(kind="deadline", public_label__contains="升级").count() == 2 * 31


def test_escalated_queue_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    (case,) = _dispatched(client, world)
    deadlines_sweep_run(now=_at(case, minutes=5))
    client.force_login(world["dispatcher"])
    url = reverse("admin:grid_gridcase_changelist") + "?queue=escalated"
    connection.queries_log.clear()  # a capped deque (9,000): a long setup would leave nothing to count
    with django_assert_max_num_queries(30) as one:
        assert case.number in client.get(url).content.decode()
    counted = len(one.captured_queries)
    more = _dispatched(client, world, n=29)
    deadlines_sweep_run(now=_at(more[-1], minutes=5))
    connection.queries_log.clear()
    with django_assert_max_num_queries(counted):
        assert more[-1].number in client.get(url).content.decode()
