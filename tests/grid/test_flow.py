"""The loop 上报 → 立案 → 派遣 → 处置 → 核查 → 结案 → 评价, who may do each step, and who sees which case."""
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.grid import services
from apps.grid.constants import RatingLevel, Status
from apps.grid.exceptions import CaseError
from apps.grid.models import GridCase
from apps.notifications.models import Notification
from apps.workflow.exceptions import TransitionForbidden, TransitionInvalid
from apps.workflow.models import TimelineEntry
from apps.workflow.services import transition_perform

from .factories import load_people, load_world, photo_report, png, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return load_people(load_world())


def test_the_whole_loop_with_auto_dispatch_and_a_dissatisfied_rating(world):
    case = photo_report(world)
    assert case.status == Status.REPORTED and case.current_deadline.stage == "register"
    case = register(actor=world["dispatcher"], case=case)
    assert case.status == Status.DISPATCHED and case.department.code == "xinglongtai-urban-management"
    assert case.current_deadline.stage == "handle"
    assert Notification.objects.filter(recipient=world["handler"]).exists()
    case = transition_perform(actor=world["handler"], obj=case, name="handle",
                              params=services.Handling(result="已清运", photos=[png()]))
    assert case.status == Status.HANDLED and case.current_deadline.stage == "verify"
    assert Notification.objects.filter(recipient=world["member"]).exists()
    case = transition_perform(actor=world["member"], obj=case, name="verify_fixed")
    assert case.status == Status.CLOSED and case.closed_at and case.due_at is None
    services.case_rate(actor=world["citizen"], case=case, level=RatingLevel.DISSATISFIED, comment="还有残留")
    case.refresh_from_db()
    assert case.status == Status.DISPATCHED and case.reopen_count == 1 and case.rating_reopened
    case = transition_perform(actor=world["handler"], obj=case, name="handle", params=services.Handling(result="已彻底清理"))
    case = transition_perform(actor=world["member"], obj=case, name="verify_fixed")
    assert case.status == Status.CLOSED
    with pytest.raises(CaseError):
        services.case_rate(actor=world["citizen"], case=case, level=RatingLevel.SATISFIED)


def test_not_fixed_goes_back_to_handling_and_counts_a_reopening(world):
    case = register(actor=world["dispatcher"], case=photo_report(world))
    case = transition_perform(actor=world["handler"], obj=case, name="handle", params=services.Handling(result="已处理"))
    with pytest.raises(TransitionInvalid):
        transition_perform(actor=world["member"], obj=case, name="verify_not_fixed", comment="")
    case = transition_perform(actor=world["member"], obj=case, name="verify_not_fixed", comment="垃圾仍在")
    assert case.status == Status.DISPATCHED and case.reopen_count == 1


def test_a_wrongly_dispatched_case_is_returned_and_redispatched(world):
    case = register(actor=world["dispatcher"], case=photo_report(world))
    case = transition_perform(actor=world["handler"], obj=case, name="return", comment="不属于本部门")
    assert case.status == Status.RETURNED and case.return_count == 1 and case.current_deadline.stage == "dispatch"
    case = transition_perform(actor=world["dispatcher"], obj=case, name="dispatch",
                              params=services.Dispatch(department=world["other_handler"].department,
                                                       category=world["manhole"]))
    assert case.department == world["other_handler"].department and case.category == world["manhole"]
    with pytest.raises(TransitionForbidden):  # no longer the first department's case
        transition_perform(actor=world["handler"], obj=case, name="handle", params=services.Handling(result="x"))


def test_a_case_without_category_waits_for_the_dispatcher(world):
    case = services.case_report(channel="hotline", description="有人反映路灯不亮", address="市府大路",
                                reporter_phone="13800000001", entered_by=world["dispatcher"])
    case = register(actor=world["dispatcher"], case=case)
    assert case.status == Status.REGISTERED
    with pytest.raises(TransitionInvalid):
        transition_perform(actor=world["dispatcher"], obj=case, name="dispatch")
    assert GridCase.objects.get(pk=case.pk).status == Status.REGISTERED


@pytest.mark.parametrize("name,allowed", [
    ("register", {"dispatcher"}), ("reject", {"dispatcher"}), ("handle", {"handler"}), ("return", {"handler"}),
    ("verify_fixed", {"member"}), ("verify_not_fixed", {"member"}),
])
@pytest.mark.parametrize("actor_key", [None, "citizen", "dispatcher", "handler", "other_handler", "member",
                                       "other_member"])
def test_who_may_do_each_step(world, name, allowed, actor_key):
    case = photo_report(world)
    if name in ("handle", "return", "verify_fixed", "verify_not_fixed"):
        case = register(actor=world["dispatcher"], case=case)
    if name.startswith("verify"):
        case = transition_perform(actor=world["handler"], obj=case, name="handle", params=services.Handling(result="已处理"))
    actor = world[actor_key] if actor_key else AnonymousUser()
    params = services.Handling(result="结果") if name == "handle" else None
    entries, state = TimelineEntry.objects.count(), case.status
    if actor_key in allowed:
        assert transition_perform(actor=actor, obj=case, name=name, comment="理由", params=params).status != state
        return
    with pytest.raises(TransitionForbidden):
        transition_perform(actor=actor, obj=case, name=name, comment="理由", params=params)
    case.refresh_from_db()
    assert case.status == state and TimelineEntry.objects.count() == entries


def test_only_the_reporter_rates(world):
    case = register(actor=world["dispatcher"], case=photo_report(world))
    case = transition_perform(actor=world["handler"], obj=case, name="handle", params=services.Handling(result="已处理"))
    case = transition_perform(actor=world["member"], obj=case, name="verify_fixed")
    for actor in (world["handler"], world["member"], world["dispatcher"]):
        with pytest.raises(TransitionForbidden):
            services.case_rate(actor=actor, case=case, level=RatingLevel.DISSATISFIED)
    assert not hasattr(GridCase.objects.get(pk=case.pk), "rating")


def test_each_sees_only_their_cases_in_the_admin(client, world):
    mine = register(actor=world["dispatcher"], case=photo_report(world))
    other = register(actor=world["dispatcher"], case=photo_report(
        world, lat=41.115, lng=122.005, category=world["manhole"]))  # the second grid, 市住建局
    assert other.grid == world["other_grid"]
    for key, visible, hidden in (("handler", mine, other), ("other_handler", other, mine), ("member", mine, other),
                                 ("other_member", other, mine)):
        client.force_login(world[key])
        listing = client.get(reverse("admin:grid_gridcase_changelist")).content.decode()
        assert visible.number in listing and hidden.number not in listing, key
        assert listing.count(visible.number) == 1, key  # no row repeated by the grid-member join
        assert client.get(reverse("admin:grid_gridcase_change", args=[hidden.pk])).status_code == 404, key
    client.force_login(world["dispatcher"])
    listing = client.get(reverse("admin:grid_gridcase_changelist")).content.decode()
    assert mine.number in listing and other.number in listing


def test_handler_reports_the_result_with_a_photo_through_the_admin(client, world):
    case = register(actor=world["dispatcher"], case=photo_report(world))
    client.force_login(world["handler"])
    url = reverse("admin:grid_gridcase_transition", args=[case.pk, "handle"])
    bad = SimpleUploadedFile("现场.png", b"not an image", content_type="image/png")
    response = client.post(url, {"result": "已清运", "photo": bad})
    assert response.status_code == 200 and "现场.png" in response.content.decode()
    assert GridCase.objects.get(pk=case.pk).status == Status.DISPATCHED
    assert client.post(url, {"result": "已清运", "photo": png()}).status_code == 302
    assert GridCase.objects.get(pk=case.pk).status == Status.HANDLED


def test_an_overdue_step_is_told_to_the_dispatchers(world):
    import datetime as dt

    from django.utils import timezone

    from apps.deadlines.services import deadline_sweep_one

    case = photo_report(world)
    later = timezone.now() + dt.timedelta(hours=5)  # registration is due within 2 hours

    deadline_sweep_one(deadline_id=case.current_deadline_id, now=later)
    assert Notification.objects.filter(recipient=world["dispatcher"], body__contains=case.number).exists()
    assert not Notification.objects.filter(recipient=world["handler"]).exists()


def test_dispatcher_list_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    register(actor=world["dispatcher"], case=photo_report(world))
    client.force_login(world["dispatcher"])
    url = reverse("admin:grid_gridcase_changelist")
    with django_assert_max_num_queries(20) as one:
        client.get(url)
    for _ in range(29):
        register(actor=world["dispatcher"], case=photo_report(world))
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url)
