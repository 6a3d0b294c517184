import datetime as dt

import pytest
from django.urls import reverse

from apps.organizations.constants import Role
from apps.workdays.models import CalendarYear
from apps.workdays.selectors import day_info
from tests.accounts.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(roles):
    return StaffFactory(roles=[Role.CALENDAR_OPERATOR])


def test_operator_enters_a_year_in_one_form(client, operator, django_capture_on_commit_callbacks):
    client.force_login(operator)
    data = {"year": "2027", "notice": "国办发明电〔2026〕x号",
            "holidays": "2027-01-01 元旦\n2027-02-05..2027-02-11 春节", "workdays": "2027-02-20 春节调休",
            "accept_differences": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:workdays_calendaryear_add"), data)
    assert response.status_code == 302
    year = CalendarYear.objects.get(year=2027)
    assert year.entered_by == operator and year.days.count() == 9
    assert day_info(date=dt.date(2027, 2, 20)).is_workday and not day_info(date=dt.date(2027, 2, 20)).provisional
    page = client.get(reverse("admin:workdays_calendaryear_change", args=[year.pk])).content.decode()
    assert "2027-02-05 春节" in page


def test_a_bad_line_is_explained_and_the_text_kept(client, operator):
    client.force_login(operator)
    data = {"year": "2027", "notice": "", "holidays": "2027-01-01 元旦\n2027-13-01 错误", "workdays": ""}
    response = client.post(reverse("admin:workdays_calendaryear_add"), data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    page = response.content.decode()
    assert "第 2 行" in page and "2027-13-01 错误" in page
    assert not CalendarYear.objects.exists()


def test_clerk_cannot_enter_a_year(client, roles):
    clerk = StaffFactory(roles=[Role.CLERK])
    client.force_login(clerk)
    response = client.post(reverse("admin:workdays_calendaryear_add"), {"year": "2027", "holidays": "2027-01-01 元旦"})
    assert response.status_code == 403
    assert not CalendarYear.objects.exists()


def test_admin_warns_from_november_that_next_year_is_missing(client, operator, monkeypatch):
    from apps.core import context_processors

    client.force_login(operator)
    monkeypatch.setattr(context_processors.timezone, "localdate", lambda: dt.date(2026, 11, 1))
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "2027" in page and "暂按" in page
    monkeypatch.setattr(context_processors.timezone, "localdate", lambda: dt.date(2026, 10, 31))
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "暂按" not in page


def test_entering_and_correcting_a_year_moves_every_clock_and_its_copy(client, operator,
                                                                      django_capture_on_commit_callbacks):
    """CONVENTIONS 16: the due moment copied onto a case (what its queue sorts by) moves with its clock, also when an
    already official year is corrected."""
    from django.utils import timezone

    from apps.applications.models import Application
    from apps.deadlines.models import Deadline
    from apps.deadlines.services import deadline_attach, deadline_start
    from tests.applications.factories import load_world, submitted

    world = load_world()
    application = submitted(world)
    clock = deadline_start(obj=application, stage="decision", label="决定", unit="working_days", limit=5,
                           started_at=timezone.make_aware(dt.datetime(2027, 2, 3, 10)))
    deadline_attach(obj=application, deadline=clock)
    assert clock.provisional and timezone.localtime(clock.due_at).date() == dt.date(2027, 2, 16)

    def enter(holidays, workdays):
        data = {"year": "2027", "notice": "国办发明电", "holidays": holidays, "workdays": workdays,
                "accept_differences": "on"}
        year = CalendarYear.objects.filter(year=2027).first()
        url = (reverse("admin:workdays_calendaryear_change", args=[year.pk]) if year
               else reverse("admin:workdays_calendaryear_add"))
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url, data).status_code == 302

    client.force_login(operator)
    enter("2027-01-01 元旦\n2027-02-06..2027-02-14 春节", "2027-02-20 春节调休")
    clock.refresh_from_db()
    application = Application.objects.get(pk=application.pk)
    # After Wed 3 Feb: Thu 4, Fri 5, then 6–14 off, Mon 15, Tue 16, Wed 17.
    assert not clock.provisional and timezone.localtime(clock.due_at).date() == dt.date(2027, 2, 17)
    assert application.due_at == clock.due_at
    # Recorded and told: an event on the clock, a line on the applicant's timeline, a message to the applicant.
    from apps.deadlines.models import DeadlineEvent
    from apps.notifications.models import Notification
    from apps.workflow.selectors import timeline_public

    event = DeadlineEvent.objects.get(deadline=clock, kind="move")
    assert "2027-02-16 → 2027-02-17" in event.reason
    assert any("2027-02-16 → 2027-02-17" in row["label"] for row in timeline_public(obj=application))
    told = Notification.objects.filter(recipient=world["citizen"], body__contains="2027-02-17")
    assert told.count() == 1
    # The notice is corrected (the holiday starts a day earlier): the official year is recomputed too.
    enter("2027-01-01 元旦\n2027-02-05..2027-02-14 春节", "2027-02-20 春节调休")
    clock = Deadline.objects.get(pk=clock.pk)
    application = Application.objects.get(pk=application.pk)
    assert timezone.localtime(clock.due_at).date() == dt.date(2027, 2, 18)
    assert application.due_at == clock.due_at


def test_a_year_with_only_its_spring_festival_is_not_taken_silently(client, operator):
    client.force_login(operator)
    data = {"year": "2027", "notice": "", "holidays": "2027-02-05..2027-02-11 春节", "workdays": ""}
    response = client.post(reverse("admin:workdays_calendaryear_add"), data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = response.content.decode()
    assert response.status_code == 200 and "2027-04-05 清明节" in page and "2027-10-01 国庆节" in page
    assert "2027-02-05..2027-02-11 春节" in page  # what was typed is kept
    assert not CalendarYear.objects.exists()
    response = client.post(reverse("admin:workdays_calendaryear_add"), {**data, "accept_differences": "on"})
    assert response.status_code == 302 and CalendarYear.objects.filter(year=2027).exists()


def test_every_case_type_s_copy_and_the_api_follow_an_entry(client, operator, django_capture_on_commit_callbacks):
    """Issue 13, one truth per due date: the grid case's, the honor application's and each review's copy (what their
    queues sort by and the honors API returns) follow their clocks when the operator enters the year."""
    from django.utils import timezone

    from apps.deadlines.models import Deadline
    from apps.deadlines.services import deadline_attach, deadline_start
    from apps.grid.models import GridCase
    from apps.honors.models import DepartmentReview, HonorApplication
    from tests.grid.factories import load_people, photo_report
    from tests.grid.factories import load_world as grid_world
    from tests.honors.factories import load_world as honors_world
    from tests.honors.factories import submitted as honor_submitted

    people = load_people(grid_world())
    honors = honors_world()
    cases = [photo_report(people), honor_submitted(honors)]
    cases += list(DepartmentReview.objects.filter(application=cases[1]))
    for case in cases:
        clock = deadline_start(obj=case, stage="test", label="测试", unit="working_days", limit=5,
                               started_at=timezone.make_aware(dt.datetime(2027, 2, 3, 10)))
        deadline_attach(obj=case, deadline=clock)
    client.force_login(operator)
    data = {"year": "2027", "notice": "国办发明电", "holidays": "2027-01-01 元旦\n2027-02-06..2027-02-14 春节",
            "workdays": "", "accept_differences": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("admin:workdays_calendaryear_add"), data).status_code == 302
    for model, case in zip([GridCase, HonorApplication] + [DepartmentReview] * (len(cases) - 2), cases, strict=True):
        row = model.objects.get(pk=case.pk)
        clock = Deadline.objects.get(pk=row.current_deadline_id)
        assert timezone.localtime(clock.due_at).date() == dt.date(2027, 2, 17) and not clock.provisional
        assert row.due_at == clock.due_at, model
    review = DepartmentReview.objects.filter(application=cases[1]).select_related("department").first()
    reviewer = honors["science"] if review.department_id == honors["science"].department_id else honors["agri"]
    client.force_login(reviewer)
    rows = client.get("/api/v1/honors/reviews/").json()["results"]
    assert rows and all(row["due_at"].startswith("2027-02-17") for row in rows)
