"""An operator enters next year's official holidays in the admin (the live server); a Celery worker in a process of
its own recomputes; the applicant whose decision date rested on the provisional year sees the new date, why it moved,
and a message — issue 13's "done when", walked by people."""
import datetime as dt
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.applications.constants import DocumentKinds
from apps.applications.models import Application
from apps.deadlines.models import Deadline
from apps.deadlines.services import deadline_attach, deadline_start
from apps.documents.models import Document
from apps.organizations.constants import Role
from tests.accounts.factories import StaffFactory
from tests.applications.factories import load_world, submitted
from tests.e2e.helpers import login_admin, login_public

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

HOLIDAYS_2027 = """2027-01-01 元旦
2027-02-05..2027-02-13 春节
2027-04-05 清明节
2027-05-01..2027-05-05 劳动节
2027-06-09 端午节
2027-09-15 中秋节
2027-10-01..2027-10-07 国庆节"""
WORKDAYS_2027 = "2027-01-30 春节调休\n2027-02-20 春节调休\n2027-10-09 国庆调休"


def wait_for(predicate, timeout=90):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def test_an_official_year_entered_in_the_admin_reaches_the_applicant(page, browser, live_server, worker_process,
                                                                     roles, settings):
    settings.PORTAL_BASE_URL = live_server.url
    world = load_world()
    application = submitted(world)
    clock = deadline_start(obj=application, stage="decision", label="作出决定", unit="working_days", limit=5,
                           started_at=timezone.make_aware(dt.datetime(2027, 2, 3, 10)),
                           responsible_department=application.department)
    deadline_attach(obj=application, deadline=clock)
    # Provisional: 除夕 5 Feb to 10 Feb off by the statutory rule → Thu 4, Thu 11, Fri 12, Mon 15, Tue 16.
    assert clock.provisional and timezone.localtime(clock.due_at).date() == dt.date(2027, 2, 16)

    operator = StaffFactory(roles=[Role.CALENDAR_OPERATOR])
    login_admin(page, live_server.url, operator)
    page.goto(live_server.url + "/admin/workdays/calendaryear/add/")
    page.locator("input[name=year]").fill("2027")
    page.locator("input[name=notice]").fill("国办发明电〔2026〕x号")
    page.locator("textarea[name=holidays]").fill(HOLIDAYS_2027)
    page.locator("textarea[name=workdays]").fill(WORKDAYS_2027)
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messagelist .success")).to_contain_text("2027")
    page.screenshot(path="var/screens/admin-calendar-entered.png", full_page=True)

    # The worker (another process) recomputes: Thu 4, then 5–13 Feb off, Sun 14, Mon 15 … Thu 18.
    assert wait_for(lambda: timezone.localtime(Deadline.objects.get(pk=clock.pk).due_at).date()
                    == dt.date(2027, 2, 18)), "the worker did not move the clock"
    application = Application.objects.get(pk=application.pk)
    assert application.due_at == Deadline.objects.get(pk=clock.pk).due_at  # the queue's copy moved with it

    applicant = browser.new_context(locale="zh-CN")
    citizen_page = applicant.new_page()
    login_public(citizen_page, live_server.url, world["citizen"])
    citizen_page.goto(live_server.url + f"/applications/{application.pk}/")
    body = citizen_page.locator("body")
    expect(body).to_contain_text("2027-02-18")
    expect(body).to_contain_text("2027-02-16 → 2027-02-18")
    expect(body).to_contain_text("国办发明电〔2026〕x号")
    expect(body).not_to_contain_text("暂定")
    # The decision date the acceptance notice stated is given again in writing, rendered by the worker.
    expect(body).to_contain_text("办理期限变更告知书")
    assert wait_for(lambda: Document.objects.filter(kind=DocumentKinds.DEADLINE_CHANGE,
                                                    object_id=str(application.pk)).exclude(file="").exists())
    citizen_page.screenshot(path="var/screens/application-date-moved.png", full_page=True)
    citizen_page.goto(live_server.url + "/inbox/")
    expect(citizen_page.locator("body")).to_contain_text("2027-02-18")
    applicant.close()
