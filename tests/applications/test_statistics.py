"""The service centre's statistics (issue 16 item 5): every figure of a month built through the services, the xlsx,
who sees what, and the query count for 1 and 30 rows."""
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.applications import services
from apps.applications.constants import Channel
from apps.applications.models import Application
from apps.applications.services import Declaration, Reason, Supplement, SupplementItem
from apps.organizations.constants import Role
from apps.organizations.models import Department
from apps.workflow.services import transition_perform
from tests.accounts.factories import StaffFactory
from tests.applications.factories import draft_with_materials, load_world, pdf

pytestmark = pytest.mark.django_db

PAGE = "admin:applications_application_statistics"
XLSX = "admin:applications_application_statistics_xlsx"
PERIOD = {"first": "2025-03", "last": "2025-04"}


def at(text):
    return timezone.make_aware(dt.datetime.fromisoformat(text))


@pytest.fixture
def world(roles):
    world = load_world()
    centre = Department.objects.get(code="city-service-center")
    world["window_clerk"] = StaffFactory(department=centre, roles=[Role.WINDOW_CLERK])
    world["centre_head"] = StaffFactory(department=centre, roles=[Role.DEPARTMENT_HEAD])
    return world


@pytest.fixture
def clock(monkeypatch):
    """The moment the services take as now (as tests/applications/test_dates.py does)."""
    def set_to(text):
        moment = at(text)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment
    return set_to


def submit(world, clock, when, *, channel=Channel.ONLINE, service=None):
    clock(when)
    application = draft_with_materials(world, service=service)
    # The channel is set on creation only: window intake (which sets it through its own service) is built elsewhere.
    Application.objects.filter(pk=application.pk).update(channel=channel)
    application.refresh_from_db()
    return transition_perform(actor=application.applicant, obj=application, name="submit",
                              params=Declaration(declaration=True))


def act(world, clock, when, application, name, who="clerk", **kwargs):
    clock(when)
    if name in ("approve", "deny"):
        # The decision passes the item's sign-off chain (承办 → 审核 → 批准) at that moment; the signer decides.
        from .factories import signed_off

        application, signer = signed_off(world, application, outcome="grant" if name == "approve" else "deny")
        return transition_perform(actor=signer, obj=application, name=name, **kwargs)
    return transition_perform(actor=world[who], obj=application, name=name, **kwargs)


@pytest.fixture
def march(world, clock):
    """March 2025 (no holiday; the working days are Mon–Fri) and one application of April:

    A online  received Mon 3, accepted Tue 4, approved Fri 7            — all on time, 4 working days
    B window  received Mon 3, accepted Tue 11 (due Mon 10: late), denied Wed 12 — 7 working days
    C online  received Wed 5, supplement Thu 6, resubmitted Mon 10 (the clock starts again), accepted Tue 11,
              approved Fri 14                                           — on time, not in one go, 7 working days
    D online  received Mon 10, accepted Mon 10 (due Mon 24), extended by 5 (due Mon 31), approved Tue 1 Apr
                                                                        — decided late, 16 working days
    E online  another department (health), received Wed 12, not accepted Thu 13 — acceptance on time, not decided
    F online  received Wed 2 Apr, waiting for acceptance               — counted in April, nothing else yet
    """
    a = submit(world, clock, "2025-03-03T10:00")
    act(world, clock, "2025-03-04T10:00", a, "accept")
    act(world, clock, "2025-03-07T10:00", a, "approve")

    b = submit(world, clock, "2025-03-03T11:00", channel=Channel.WINDOW)
    act(world, clock, "2025-03-11T10:00", b, "accept")
    act(world, clock, "2025-03-12T10:00", b, "deny", comment="不符合条件", params=Reason(reason="不符合条件"))

    c = submit(world, clock, "2025-03-05T10:00")
    material = c.service.materials.filter(required=True).first()
    act(world, clock, "2025-03-06T10:00", c, "request_supplement", comment="补正",
        params=Supplement(items=[SupplementItem(material_id=material.pk, note="复印件不清晰")]))
    clock("2025-03-10T09:00")
    services.application_upload_material(actor=world["citizen"], application=c, material=material, upload=pdf())
    act(world, clock, "2025-03-10T10:00", c, "resubmit", who="citizen")
    act(world, clock, "2025-03-11T11:00", c, "accept")
    act(world, clock, "2025-03-14T10:00", c, "approve")

    d = submit(world, clock, "2025-03-10T08:30")
    act(world, clock, "2025-03-10T15:00", d, "accept")
    clock("2025-03-20T10:00")
    services.application_extend(actor=world["head"], application=d, days=5, reason="需现场核查")
    act(world, clock, "2025-04-01T10:00", d, "approve")

    e = submit(world, clock, "2025-03-12T10:00", service=world["other_service"])
    act(world, clock, "2025-03-13T10:00", e, "refuse", who="other_clerk", comment="不属于本部门",
        params=Reason(reason="不属于本部门"))

    f = submit(world, clock, "2025-04-02T10:00")
    return {"A": a, "B": b, "C": c, "D": d, "E": e, "F": f}


def page(client, user, **params):
    client.force_login(user)
    return client.get(reverse(PAGE), {**PERIOD, **params})


def test_each_application_carries_its_figures(march):
    figures = {name: Application.objects.values("acceptance_on_time", "decision_on_time", "decision_working_days",
                                                 "supplemented").get(pk=a.pk) for name, a in march.items()}
    assert figures["A"] == {"acceptance_on_time": True, "decision_on_time": True, "decision_working_days": 4,
                            "supplemented": False}
    assert figures["B"] == {"acceptance_on_time": False, "decision_on_time": True, "decision_working_days": 7,
                            "supplemented": False}
    assert figures["C"] == {"acceptance_on_time": True, "decision_on_time": True, "decision_working_days": 7,
                            "supplemented": True}
    assert figures["D"] == {"acceptance_on_time": True, "decision_on_time": False, "decision_working_days": 16,
                            "supplemented": False}
    assert figures["E"] == {"acceptance_on_time": True, "decision_on_time": None, "decision_working_days": None,
                            "supplemented": False}
    assert figures["F"] == {"acceptance_on_time": None, "decision_on_time": None, "decision_working_days": None,
                            "supplemented": False}


def test_the_migration_fills_the_figures_of_earlier_applications_from_their_sources(march):
    """0008 backfills what the services would have written: the month, the flags from the closed clocks and the
    supplement requests, the working days from the calendar."""
    import importlib

    from django.apps import apps

    fields = ("submitted_month", "acceptance_on_time", "decision_on_time", "decision_working_days", "supplemented")
    written = list(Application.objects.order_by("pk").values_list(*fields))
    assert written[0][0] == dt.date(2025, 3, 1) and written[-1][0] == dt.date(2025, 4, 1)
    Application.objects.update(submitted_month=None, acceptance_on_time=None, decision_on_time=None,
                               decision_working_days=None, supplemented=False)
    importlib.import_module("apps.applications.migrations.0008_stats_figures").backfill(apps, None)
    assert list(Application.objects.order_by("pk").values_list(*fields)) == written


MARCH_CITY = {"applications": 5, "acceptance_handled": 5, "accepted_on_time": 4, "acceptance_rate": 80.0,
              "decided": 4, "decided_on_time": 3, "decision_rate": 75.0, "first_time": 3, "first_time_rate": 75.0,
              "working_days": 8.5}
APRIL = {"applications": 1, "acceptance_handled": 0, "accepted_on_time": 0, "acceptance_rate": None, "decided": 0,
         "decided_on_time": 0, "decision_rate": None, "first_time": 0, "first_time_rate": None, "working_days": None}


def figures_of(row):
    return {key: row[key] for key in MARCH_CITY}


def test_the_centre_reads_every_figure_per_month_with_totals(client, world, march):
    response = page(client, world["window_clerk"])
    assert response.status_code == 200
    report = response.context["report"]
    assert [r["name"] for r in report["rows"]] == ["2025-03", "2025-04"]
    assert figures_of(report["rows"][0]) == MARCH_CITY
    assert figures_of(report["rows"][1]) == APRIL
    # The totals count the applications again, they do not average the rows.
    assert figures_of(report["totals"]) == {**MARCH_CITY, "applications": 6}
    # The centre's head and a superuser read the same city.
    for user in (world["centre_head"], StaffFactory(is_superuser=True)):
        assert page(client, user).context["report"] == report
    html = response.content.decode()
    assert 'id="stats-chart"' in html and 'id="stats-data"' in html and "chart.umd.min.js" in html
    assert "8.5" in html and "80.0" in html
    # The definitions are printed with the figures.
    assert "not counted (art. 82)" in html or "不计入" in html


def test_grouped_by_channel_item_and_department_and_filtered(client, world, march):
    report = page(client, world["centre_head"], group="channel").context["report"]
    rows = {r["key"]: r for r in report["rows"]}
    assert set(rows) == {"online", "window"}
    assert rows["window"]["applications"] == 1 and rows["window"]["accepted_on_time"] == 0
    assert rows["online"]["applications"] == 5 and rows["online"]["working_days"] == 9.0  # (4 + 7 + 16) / 3
    report = page(client, world["centre_head"], group="department").context["report"]
    departments = {r["key"]: r for r in report["rows"]}
    market, health = world["service"].department_id, world["other_service"].department_id
    assert departments[market]["applications"] == 5 and departments[market]["decided"] == 4
    assert departments[health]["applications"] == 1 and departments[health]["decided"] == 0
    report = page(client, world["centre_head"], group="service", channel="window").context["report"]
    assert [(r["name"], r["applications"]) for r in report["rows"]] == [(world["service"].name, 1)]
    report = page(client, world["centre_head"], department=health).context["report"]
    assert report["totals"]["applications"] == 1 and report["totals"]["acceptance_rate"] == 100.0


def test_the_xlsx_holds_the_same_table_and_the_definitions(client, world, march):
    from openpyxl import load_workbook

    client.force_login(world["window_clerk"])
    response = client.get(reverse(XLSX), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "centre-statistics-202503-202504-month.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    table, notes = workbook.worksheets
    rows = list(table.iter_rows(values_only=True))
    assert "2025-03 – 2025-04" in rows[0][0]
    assert len(rows[1]) == 11
    assert rows[2] == ("2025-03", 5, 4, 5, 80.0, 3, 4, 75.0, 3, 75.0, 8.5)
    assert rows[3] == ("2025-04", 1, 0, 0, None, 0, 0, None, 0, None, None)
    assert rows[4][1:] == (6, 4, 5, 80.0, 3, 4, 75.0, 3, 75.0, 8.5)
    assert notes.max_row == 6 and all(row[1] for row in notes.iter_rows(values_only=True))


def test_a_department_head_reads_their_own_department_only(client, world, march):
    health = world["other_service"].department_id
    report = page(client, world["other_head"]).context["report"]
    assert figures_of(report["totals"]) == {
        "applications": 1, "acceptance_handled": 1, "accepted_on_time": 1, "acceptance_rate": 100.0, "decided": 0,
        "decided_on_time": 0, "decision_rate": None, "first_time": 0, "first_time_rate": None, "working_days": None}
    response = page(client, world["head"], group="department")
    assert [r["key"] for r in response.context["report"]["rows"]] == [world["service"].department_id]
    # Another department's figures, asked for by its id or by one of its items, answer 404 (page and xlsx).
    assert page(client, world["head"], department=health).status_code == 404
    assert page(client, world["head"], service=world["other_service"].pk).status_code == 404
    assert client.get(reverse(XLSX), {**PERIOD, "department": health}).status_code == 404


@pytest.mark.parametrize("who", ["clerk", "other_clerk", "citizen", "plain_centre_clerk"])
def test_who_may_not_read_the_statistics(client, world, march, who):
    if who == "plain_centre_clerk":
        # A clerk of the centre's own department who is not a window clerk: no statistics.
        world[who] = StaffFactory(department=Department.objects.get(code="city-service-center"), roles=[Role.CLERK])
    before = list(Application.objects.order_by("pk").values_list("pk", "status", "decision_working_days"))
    for url in (reverse(PAGE), reverse(XLSX)):
        response = page(client, world[who]) if url == reverse(PAGE) else client.get(url, PERIOD)
        if who == "citizen":  # not staff: the admin's login page
            assert response.status_code == 302 and "/admin/login/" in response["Location"]
        else:
            assert response.status_code == 403
    client.force_login(world[who])
    assert "applications.statistics" not in client.get(reverse("admin:index")).content.decode()
    assert list(Application.objects.order_by("pk").values_list("pk", "status", "decision_working_days")) == before


def test_anonymous_is_sent_to_the_login(client, world):
    response = client.get(reverse(PAGE))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_admin_index_links_the_page_for_who_may_read_it(client, world):
    world["superuser"] = StaffFactory(is_superuser=True)
    for who in ("window_clerk", "centre_head", "head", "superuser"):
        client.force_login(world[who])
        html = client.get(reverse("admin:index")).content.decode()
        assert 'data-report="applications.statistics"' in html and reverse(PAGE) in html


@pytest.mark.parametrize("params, field", [
    ({"first": "2025-13"}, "first"), ({"first": "去年"}, "first"),
    ({"first": "2025-05", "last": "2025-03"}, "last"), ({"first": "2020-01", "last": "2025-03"}, "last"),
    ({"group": "applicant"}, "group"), ({"channel": "fax"}, "channel"),
])
def test_bad_input_is_a_clear_message_that_keeps_what_was_typed(client, world, params, field):
    client.force_login(world["window_clerk"])
    response = client.get(reverse(PAGE), params)
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    typed = params[field]
    assert f'value="{typed}"' in html or f'value="{typed}" selected' in html or field in ("group", "channel")
    assert 'id="statistics-xlsx"' not in html
    assert client.get(reverse(XLSX), params).status_code == 404


def test_working_days_are_recounted_when_a_year_of_the_calendar_is_corrected(world, clock, django_capture_on_commit_callbacks):
    """CONVENTIONS 16: the stored working days follow the holiday calendar they were counted on."""
    from apps.workdays.services import calendar_year_enter, parse_day_lines

    a = submit(world, clock, "2025-03-03T10:00")
    act(world, clock, "2025-03-04T10:00", a, "accept")
    act(world, clock, "2025-03-07T10:00", a, "approve")
    a.refresh_from_db()
    assert a.decision_working_days == 4
    # The operator corrects 2025: Thu 6 March becomes a holiday (a test's make-believe notice).
    clock("2025-03-20T10:00")
    official = "\n".join(["2025-01-01 元旦", "2025-01-28 春节", "2025-01-29 春节", "2025-01-30 春节",
                          "2025-01-31 春节", "2025-02-03 春节", "2025-02-04 春节", "2025-03-06 假日",
                          "2025-04-04 清明节", "2025-05-01 劳动节", "2025-05-02 劳动节", "2025-05-05 劳动节",
                          "2025-06-02 端午节", "2025-10-01 国庆节", "2025-10-02 国庆节", "2025-10-03 国庆节",
                          "2025-10-06 国庆节", "2025-10-07 国庆节", "2025-10-08 中秋节"])
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_enter(actor=None, year=2025, notice="测试", holidays=parse_day_lines(text=official, year=2025),
                            workdays=parse_day_lines(text="2025-01-26 上班\n2025-02-08 上班\n2025-04-27 上班\n"
                                                          "2025-09-28 上班\n2025-10-11 上班", year=2025),
                            accept_differences=True)
    a.refresh_from_db()
    assert a.decision_working_days == 3


def _items(world, n):
    """``n`` more items of the market bureau, with no material to upload (catalogue data, made as the bench does)."""
    from apps.catalogue.constants import OnlineDepth
    from apps.catalogue.models import ServiceItem

    base = world["service"]
    return [ServiceItem.objects.create(code=f"TEST-{i:04d}", name=f"测试事项{i:04d}", service_type=base.service_type,
                                       department=base.department, legal_basis="-", acceptance_conditions="-",
                                       legal_limit=20, promised_limit=10, place="-", phone="-",
                                       online_depth=OnlineDepth.APPLY)
            for i in range(n)]


def test_one_row_per_item_costs_the_same_queries_for_1_and_30_items(client, world, clock):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        client.force_login(world["head"])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(PAGE), {**PERIOD, "group": "service"})
        assert response.status_code == 200
        return len(response.context["report"]["rows"]), len(captured)

    items = _items(world, 30)
    submit(world, clock, "2025-03-03T10:00", service=items[0])
    one = queries()
    for item in items[1:]:
        submit(world, clock, "2025-03-04T10:00", service=item)
    thirty = queries()
    assert one[0] == 1 and thirty[0] == 30
    assert one[1] == thirty[1]


def test_the_page_costs_the_same_queries_for_1_and_30_rows(client, world, clock, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        client.force_login(world["window_clerk"])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(PAGE), {"first": "2023-01", "last": "2025-12"})
        assert response.status_code == 200
        return len(response.context["report"]["rows"]), len(captured)

    submit(world, clock, "2023-01-10T10:00")
    one = queries()
    for month in range(2, 31):  # one application in each of 29 further months: 30 rows
        year, m = 2023 + (month - 1) // 12, (month - 1) % 12 + 1
        submit(world, clock, f"{year}-{m:02d}-10T10:00")
    thirty = queries()
    assert one[0] == 1 and thirty[0] == 30
    assert one[1] == thirty[1]
    with django_assert_max_num_queries(one[1]):
        client.get(reverse(PAGE), {"first": "2023-01", "last": "2025-12"})
