"""Issue 17's independent review: each test was a failing proof of a defect (now fixed) — who sees and is told what,
the place of a case, and bad input on grids."""
import datetime as dt
import json

import pytest
from django.urls import reverse

from apps.deadlines.services import deadlines_sweep_run
from apps.grid import services
from apps.grid.constants import Channel, EscalationLevel, Status, Urgency
from apps.grid.exceptions import CaseError
from apps.grid.models import CaseCategory, Grid, GridCase
from apps.notifications.models import Notification
from apps.organizations.constants import Role
from apps.organizations.models import AdminUnit, Department
from tests.accounts.factories import StaffFactory
from tests.workflow.door import outcome, press

from .factories import load_people, load_world, photo_report, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, settings):
    settings.GRID_ESCALATION_HOURS = (24, 72)
    world = load_people(load_world())
    dept = {d.code: d for d in Department.objects.filter(code__in=["xinglongtai-grid-command", "city-grid-command"])}
    world["district_centre"] = StaffFactory(department=dept["xinglongtai-grid-command"], roles=[Role.DISPATCHER])
    world["city_centre"] = StaffFactory(department=dept["city-grid-command"], roles=[Role.DISPATCHER])
    return world


def _hotline(world, **kwargs):
    return services.case_report(channel=Channel.HOTLINE, description="兴隆社区门口垃圾成堆", address="兴隆社区北门",
                                category=world["garbage"], reporter_phone="13800000007",
                                entered_by=world["dispatcher"], **kwargs)


def test_an_anonymous_reporter_is_not_named_in_the_staff_history(client, world):
    citizen = world["citizen"]
    case = photo_report(world, anonymous=True)
    client.force_login(world["handler"])
    page = client.get(reverse("admin:grid_gridcase_change", args=[case.pk])).content.decode()
    assert "匿名" in page
    for secret in {str(citizen), citizen.phone, citizen.username} - {""}:
        assert secret not in page, secret
    named = photo_report(world)  # not anonymous: the reporter's own step names them
    page = client.get(reverse("admin:grid_gridcase_change", args=[named.pk])).content.decode()
    assert str(citizen) in page


def test_open311_never_lists_a_social_governance_case(client, world):
    case = services.case_report(channel=Channel.PATROL, description="张大爷独居，腿脚不便，需要定期上门",
                                lat=41.105, lng=122.005, category=CaseCategory.objects.get(code="2401"),
                                grid=world["first_grid"], reporter=world["member"], entered_by=world["member"])
    public = services.case_report(channel=Channel.PATROL, description="井盖破损", lat=41.105, lng=122.005,
                                  category=world["manhole"], grid=world["first_grid"], reporter=world["member"],
                                  entered_by=world["member"])
    client.logout()
    listed = {r["service_request_id"] for r in client.get("/open311/v2/requests.json").json()}
    assert case.number not in listed and public.number in listed
    assert client.get(f"/open311/v2/requests/{case.number}.json").status_code == 404


def test_a_command_centre_opens_the_photos_of_the_cases_escalated_to_it(client, world):
    from apps.attachments.selectors import attachments_for_case

    case = photo_report(world, urgency=Urgency.URGENT, photos=[png()])
    press(client, user=world["dispatcher"], obj=case, name="register")
    case.refresh_from_db()
    photo = attachments_for_case(obj=case).get()
    client.force_login(world["district_centre"])
    assert client.get(reverse("attachments:download", args=[photo.pk])).status_code == 404  # not escalated yet
    deadlines_sweep_run(now=case.current_deadline.due_at + dt.timedelta(hours=25))
    case.refresh_from_db()
    assert case.escalation_level == EscalationLevel.DISTRICT
    assert client.get(reverse("admin:grid_gridcase_change", args=[case.pk])).status_code == 200
    assert client.get(reverse("attachments:download", args=[photo.pk])).status_code == 200


def test_a_case_placed_nowhere_waits_for_its_place_and_goes_to_its_own_district(client, world):
    """An address-only call about 双台子区: 立案 does not send it to the category's (兴隆台区's) bureau; placed in a
    双台子区 grid it is dispatched there by the district's rule."""
    case = services.case_report(channel=Channel.HOTLINE, description="红旗街道某小区门口垃圾成堆",
                                address="双台子区红旗街道某小区", category=world["garbage"],
                                reporter_phone="13800000009", entered_by=world["dispatcher"])
    assert case.district is None and case.department is None
    client.force_login(world["dispatcher"])
    page = client.get(reverse("admin:grid_gridcase_transition", args=[case.pk, "register"])).content.decode()
    assert "尚未定位" in page
    assert outcome(press(client, user=world["dispatcher"], obj=case, name="register")) == "done"
    case.refresh_from_db()
    assert case.status == Status.REGISTERED and case.department is None
    grid = Grid.objects.filter(community__parent__parent__code="211102").first()
    client.force_login(world["dispatcher"])
    assert client.post(reverse("admin:grid_gridcase_place", args=[case.pk]), {"grid": grid.pk}).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.DISPATCHED and case.district.code == "211102"
    assert case.department.name == "双台子区城市管理综合执法局"


def test_a_case_with_no_district_climbing_to_the_second_rung_is_seen_by_the_city_that_is_told(client, world):
    case = services.case_report(channel=Channel.HOTLINE, description="井盖丢失", address="某路口",
                                category=world["manhole"], urgency=Urgency.URGENT, reporter_phone="13800000008",
                                entered_by=world["dispatcher"])  # 市住建局 serves the whole city: dispatched
    press(client, user=world["dispatcher"], obj=case, name="register")
    case.refresh_from_db()
    assert case.status == Status.DISPATCHED and case.district_id is None
    Notification.objects.all().delete()
    deadlines_sweep_run(now=case.current_deadline.due_at + dt.timedelta(hours=25))
    case.refresh_from_db()
    assert case.escalation_level == EscalationLevel.DISTRICT
    assert Notification.objects.filter(recipient=world["city_centre"], body__contains=case.number).exists()
    client.force_login(world["city_centre"])
    assert client.get(reverse("admin:grid_gridcase_change", args=[case.pk])).status_code == 200
    client.force_login(world["district_centre"])  # 兴隆台区's centre: not its case
    assert client.get(reverse("admin:grid_gridcase_change", args=[case.pk])).status_code == 404


def test_placing_a_handled_case_gives_the_verification_clock_to_the_grid_member(client, world):
    case = services.case_report(channel=Channel.HOTLINE, description="井盖丢失", address="兴隆社区北门",
                                category=world["manhole"], reporter_phone="13800000008",
                                entered_by=world["dispatcher"])
    press(client, user=world["dispatcher"], obj=case, name="register")
    handler = StaffFactory(department=Department.objects.get(code="city-housing-construction"),
                           roles=[Role.HANDLER])
    assert outcome(press(client, user=handler, obj=case, name="handle", data={"result": "已更换"})) == "done"
    case.refresh_from_db()
    assert case.status == Status.HANDLED and case.current_deadline.responsible_role == Role.DISPATCHER
    client.force_login(world["dispatcher"])
    client.post(reverse("admin:grid_gridcase_place", args=[case.pk]), {"grid": world["first_grid"].pk})
    case.refresh_from_db()
    deadline = case.current_deadline
    assert (deadline.stage, deadline.responsible_user, deadline.responsible_role) == (
        "verify", world["member"], Role.GRID_MEMBER)


def test_a_grid_hangs_on_a_community_and_moving_it_moves_its_cases_copies(client, world, django_user_model):
    case = photo_report(world)
    grid = world["first_grid"]
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "x")
    client.force_login(admin)
    form = {"code": grid.code, "name": grid.name, "polygon": json.dumps(grid.polygon), "is_active": "on",
            "members-TOTAL_FORMS": "0", "members-INITIAL_FORMS": "0", "members-MIN_NUM_FORMS": "0",
            "members-MAX_NUM_FORMS": "1000"}
    street = AdminUnit.objects.get(code="211103001")
    refused = client.post(reverse("admin:grid_grid_change", args=[grid.pk]), {**form, "community": street.pk})
    assert refused.status_code == 200 and Grid.objects.get(pk=grid.pk).community == world["first_grid"].community
    with pytest.raises(CaseError):
        grid.community = street
        services.grid_save(grid=grid)
    target = AdminUnit.objects.filter(level="village").exclude(parent__parent__code="211103").first()
    moved = client.post(reverse("admin:grid_grid_change", args=[grid.pk]), {**form, "community": target.pk})
    assert moved.status_code == 302
    case.refresh_from_db()
    assert (case.community_id, case.street_id, case.district_id) == (
        target.pk, target.parent_id, target.parent.parent_id)


def test_a_patrol_by_coordinates_stays_in_the_members_grids(world):
    ring = world["other_grid"].polygon["coordinates"][0]
    lng = sum(p[0] for p in ring[:-1]) / (len(ring) - 1)
    lat = sum(p[1] for p in ring[:-1]) / (len(ring) - 1)
    before = GridCase.objects.count()
    with pytest.raises(CaseError) as error:
        services.case_report(channel=Channel.PATROL, description="井盖缺失", lat=lat, lng=lng,
                             reporter=world["member"], entered_by=world["member"])
    assert error.value.field == "grid" and GridCase.objects.count() == before


def test_photos_reach_the_other_party_without_their_exif(client, world):
    """The handler's result photo reaches the reporter (and a reporter's photo the handler) without GPS or device
    EXIF: photos are re-encoded, turned upright, on upload."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from apps.grid.selectors import case_photos_for_reporter

    case = photo_report(world)
    press(client, user=world["dispatcher"], obj=case, name="register")
    image = Image.new("RGB", (64, 48), (10, 200, 10))
    exif = Image.Exif()
    exif[0x010F] = "HandlerPhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotated 90° — turned upright on upload
    exif[0x8825] = {1: "N", 2: (41.0, 6.0, 18.0), 3: "E", 4: (122.0, 0.0, 18.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    upload = SimpleUploadedFile("after.jpg", out.getvalue(), content_type="image/jpeg")
    client.force_login(world["handler"])
    response = client.post(reverse("admin:grid_gridcase_transition", args=[case.pk, "handle"]),
                           {"result": "已清运", "photo": upload, "comment": "", "internal_note": ""})
    assert response.status_code == 302
    photo = case_photos_for_reporter(case=case)["evidence"][0]
    client.force_login(world["citizen"])
    body = b"".join(client.get(reverse("attachments:download", args=[photo.pk])).streaming_content)
    shown = Image.open(io.BytesIO(body))
    assert not {0x8825, 0x010F, 0x0112} & set(shown.getexif()) and shown.size == (48, 64)


def test_a_hotline_caller_rates_on_the_lookup_page_and_a_poor_rating_reopens(client, world):
    """A policy question closed by the dispatcher must still be rated (issue 17 item 2): the caller, who has no
    account, rates with the case number and the phone they called from; a wrong phone rates nothing."""
    from apps.grid.models import CaseRating

    case = _hotline(world)
    press(client, user=world["dispatcher"], obj=case, name="register")  # placed nowhere: registered, waiting
    assert outcome(press(client, user=world["dispatcher"], obj=case, name="close_unverifiable",
                         data={"comment": "已电话答复：该路段由市住建局统一维修"})) == "done"
    client.logout()
    url = reverse("grid:lookup")
    page = client.get(url, {"number": case.number, "phone": "13800000007"}).content.decode()
    assert "已电话答复" in page and 'name="level"' in page
    wrong = client.post(url, {"number": case.number, "phone": "13800000008", "level": "dissatisfied"})
    assert wrong.status_code == 404 and not CaseRating.objects.exists()
    missing = client.post(url, {"number": case.number, "phone": "13800000007", "comment": "没说清"})
    assert "没说清" in missing.content.decode() and not CaseRating.objects.exists()  # the level asked, text kept
    done = client.post(url, {"number": case.number, "phone": "13800000007", "level": "dissatisfied",
                             "comment": "没说清"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.rating.level == "dissatisfied" and case.status == Status.DISPATCHED  # reopened once
    from tests.workflow.door import history

    assert history(case)[-1] == "reopen_by_phone"


def test_a_clock_moved_off_overdue_by_the_calendar_takes_the_case_off_the_ladder(
        client, world, django_capture_on_commit_callbacks):
    """The case's copy of its clock's rung moves with the clock (CONVENTIONS 16): the official year, entered, makes
    the handling days holidays — the clock is no longer overdue, and the case leaves the escalated queue."""
    from django.utils import timezone

    from apps.deadlines.models import Deadline
    from apps.workdays.services import calendar_year_enter

    case = photo_report(world)  # 暴露垃圾, normal: 处置 in working days
    press(client, user=world["dispatcher"], obj=case, name="register")
    case.refresh_from_db()
    assert case.status == Status.DISPATCHED and case.current_deadline.unit == "working_days"
    now = case.current_deadline.due_at + dt.timedelta(hours=25)
    deadlines_sweep_run(now=now)
    case.refresh_from_db()
    assert case.escalation_level == EscalationLevel.DISTRICT
    start = timezone.localdate(case.current_deadline.started_at)
    days = [start + dt.timedelta(days=i) for i in range(30)]
    for year in sorted({d.year for d in days}):
        with django_capture_on_commit_callbacks(execute=True):
            calendar_year_enter(actor=None, year=year, holidays=[(d, "测试假日") for d in days if d.year == year],
                                workdays=[], accept_differences=True)
    deadlines_sweep_run(now=now)
    clock = Deadline.objects.get(pk=case.current_deadline_id)
    assert clock.due_at > now and clock.escalation_level == 0
    case.refresh_from_db()
    assert case.escalation_level == EscalationLevel.NONE and case.due_at == clock.due_at
    client.force_login(world["district_centre"])
    listing = client.get(reverse("admin:grid_gridcase_changelist") + "?queue=escalated").content.decode()
    assert case.number not in listing


def test_a_grid_overlapping_another_is_refused_and_a_neighbour_sharing_an_edge_is_not(client, world,
                                                                                      django_user_model):
    from apps.grid.selectors import rings_overlap

    first = Grid.objects.get(code="21110300100101")  # 122.00–122.01 E, 41.10–41.11 N
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "x")
    client.force_login(admin)
    base = {"code": "X1", "name": "测试网格", "community": first.community_id, "is_active": "on",
            "members-TOTAL_FORMS": "0", "members-INITIAL_FORMS": "0", "members-MIN_NUM_FORMS": "0",
            "members-MAX_NUM_FORMS": "1000"}
    for polygon in (first.polygon,  # the same square
                    {"type": "Polygon", "coordinates": [[[122.005, 41.105], [122.015, 41.105], [122.015, 41.115],
                                                         [122.005, 41.115], [122.005, 41.105]]]}):  # half over it
        response = client.post(reverse("admin:grid_grid_add"), {**base, "polygon": json.dumps(polygon)})
        assert response.status_code == 200 and "重叠" in response.content.decode()
    assert not Grid.objects.filter(code="X1").exists()
    east = [[122.3, 41.3], [122.31, 41.3], [122.31, 41.31], [122.3, 41.31], [122.3, 41.3]]
    touching = [[122.31, 41.3], [122.32, 41.3], [122.32, 41.31], [122.31, 41.31], [122.31, 41.3]]
    inside = [[122.302, 41.302], [122.305, 41.302], [122.305, 41.305], [122.302, 41.305], [122.302, 41.302]]
    assert not rings_overlap(east, touching) and rings_overlap(east, inside) and rings_overlap(inside, east)
    fresh = {"type": "Polygon", "coordinates": [east]}
    assert client.post(reverse("admin:grid_grid_add"), {**base, "polygon": json.dumps(fresh)}).status_code == 302


def test_performance_per_department_counts_only_what_was_the_departments(client, world, monkeypatch):
    """A report left to climb the ladder before 立案 and then rejected is the dispatch centre's, not the district
    bureau's the rules named; a late 处置 is the bureau's (review finding)."""
    from apps.grid.selectors import case_stats

    bureau = world["handler"].department
    left = photo_report(world, urgency=Urgency.URGENT)
    deadlines_sweep_run(now=left.current_deadline.due_at + dt.timedelta(hours=80))
    assert outcome(press(client, user=world["dispatcher"], obj=left, name="reject", data={"comment": "重复"})) == "done"
    left.refresh_from_db()
    assert left.escalations == 3 and left.handling_escalations == 0 and left.dispatched_at is None
    late = photo_report(world)
    press(client, user=world["dispatcher"], obj=late, name="register")
    late.refresh_from_db()
    later = late.current_deadline.due_at + dt.timedelta(hours=25)
    deadlines_sweep_run(now=later)
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: later)  # the result comes a day after the handling was due
    assert outcome(press(client, user=world["handler"], obj=late, name="handle", data={"result": "已清运"})) == "done"
    monkeypatch.undo()
    late.refresh_from_db()
    assert late.dispatched_at is not None and late.handling_late_steps == 1 and late.handling_escalations == 2
    start = left.created_at - dt.timedelta(days=1)
    rows = {r["code"]: r for r in case_stats(group="department", start=start, end=start + dt.timedelta(days=30))}
    assert rows[bureau.code]["cases"] == 1 and rows[bureau.code]["escalated"] == 1


def test_the_migration_backfills_the_department_counts_from_the_timeline_and_the_clocks(client, world, monkeypatch):
    """0005's backfill (run here on the cases as the code before it left them) gives the same answers."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps as registry
    from django.db import connection

    backfill = importlib.import_module("apps.grid.migrations.0005_department_counts").backfill
    dispatched = photo_report(world)
    press(client, user=world["dispatcher"], obj=dispatched, name="register")
    dispatched.refresh_from_db()
    from django.utils import timezone

    later = dispatched.current_deadline.due_at + dt.timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)  # handled late
    press(client, user=world["handler"], obj=dispatched, name="handle", data={"result": "已清运"})
    monkeypatch.undo()
    waiting = _hotline(world)
    rejected = photo_report(world)
    press(client, user=world["dispatcher"], obj=rejected, name="reject", data={"comment": "重复"})
    expected = {c.pk: (c.dispatched_at is not None, c.handling_late_steps)
                for c in GridCase.objects.filter(pk__in=[dispatched.pk, waiting.pk, rejected.pk])}
    GridCase.objects.update(dispatched_at=None, handling_late_steps=0, handling_escalations=0)
    backfill(registry, SimpleNamespace(connection=connection))  # (it needs only the editor's connection)
    got = {c.pk: (c.dispatched_at is not None, c.handling_late_steps)
           for c in GridCase.objects.filter(pk__in=expected)}
    assert got == expected and expected[dispatched.pk] == (True, 1)
