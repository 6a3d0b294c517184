import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from apps.workflow.models import TimelineEntry
from apps.workflow.selectors import timeline_public
from apps.workflow.services import transition_perform
from tests.example_app.factories import make_world, submit
from tests.example_app.models import ExampleCase
from tests.workflow.door import transition_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(roles):
    world = make_world()
    view = Permission.objects.get(codename="view_examplecase")
    for key in ("clerk", "other_clerk", "head"):
        world[key].user_permissions.add(view)
    return world


def change_url(case):
    return reverse("admin:example_app_examplecase_change", args=[case.pk])


def test_case_page_shows_timeline_read_only_and_the_allowed_buttons(client, world):
    case = submit(world)
    client.force_login(world["clerk"])
    response = client.get(change_url(case))
    page = response.content.decode()
    assert response.status_code == 200
    assert transition_url(case, "accept") in page and transition_url(case, "refuse") in page
    assert transition_url(case, "withdraw") not in page
    assert "提交申请" in page  # the timeline inline
    assert 'name="status"' not in page  # status is never an editable field
    assert "DELETE" not in page.split("timelineentry")[-1][:2000]


def test_refusal_without_reasons_is_explained_and_the_typed_note_kept(client, world):
    case = submit(world)
    client.force_login(world["clerk"])
    response = client.post(transition_url(case, "refuse"), {"comment": "", "internal_note": "已电话联系申请人"})
    page = response.content.decode()
    assert response.status_code == 200 and "请填写理由" in page and "已电话联系申请人" in page
    assert ExampleCase.objects.get(pk=case.pk).status == "submitted"
    response = client.post(transition_url(case, "refuse"), {"comment": "缺少营业执照", "internal_note": ""})
    assert response.status_code == 302
    assert ExampleCase.objects.get(pk=case.pk).status == "refused"
    assert TimelineEntry.objects.filter(transition="refuse", actor=world["clerk"]).exists()


def test_a_text_too_long_is_told_on_the_form_and_kept(client, world):
    """CONVENTIONS 18: a step's texts are bounded at the one door (TEXT_MAX); the clerk is told by how much, on the
    same form, with everything typed kept; nothing is written."""
    from apps.workflow.services import TEXT_MAX

    case = submit(world)
    entries = TimelineEntry.objects.count()
    client.force_login(world["clerk"])
    reasons = "缺少营业执照。" * (TEXT_MAX // 7 + 1)
    response = client.post(transition_url(case, "refuse"), {"comment": reasons, "internal_note": "已电话联系"})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"最多{TEXT_MAX}个字符" in page and f"现有{len(reasons)}个" in page
    assert reasons in page and "已电话联系" in page
    assert ExampleCase.objects.get(pk=case.pk).status == "submitted" and TimelineEntry.objects.count() == entries


def test_the_second_clerk_is_told_it_was_already_handled(client, world):
    case = submit(world)
    transition_perform(actor=world["clerk"], obj=case, name="accept")
    client.force_login(world["clerk"])
    response = client.post(transition_url(case, "refuse"), {"comment": "缺少材料"})
    assert response.status_code == 200 and "已被处理" in response.content.decode()
    assert ExampleCase.objects.get(pk=case.pk).status == "accepted"


def test_another_department_gets_404_everywhere(client, world):
    case = submit(world)
    client.force_login(world["other_clerk"])
    assert client.get(change_url(case)).status_code == 404
    assert client.post(transition_url(case, "accept"), {"comment": ""}).status_code == 404
    assert ExampleCase.objects.get(pk=case.pk).status == "submitted"
    assert not TimelineEntry.objects.filter(transition="accept").exists()


def test_department_head_sees_but_may_not_accept(client, world):
    case = submit(world)
    client.force_login(world["head"])
    assert transition_url(case, "accept") not in client.get(change_url(case)).content.decode()
    response = client.post(transition_url(case, "accept"), {"comment": ""})
    assert "无权" in response.content.decode()
    assert ExampleCase.objects.get(pk=case.pk).status == "submitted"


def test_public_timeline_template(world):
    from django.template.loader import render_to_string

    case = submit(world)
    transition_perform(actor=world["clerk"], obj=case, name="accept", comment="请按时领取", internal_note="内部")
    html = render_to_string("workflow/timeline_public.html", {"rows": timeline_public(obj=case)})
    assert "受理" in html and "请按时领取" in html and "承办部门" in html
    assert "内部" not in html and "王窗口" not in html


def test_changelist_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    client.force_login(world["clerk"])
    submit(world)
    with django_assert_max_num_queries(20) as one:
        client.get(reverse("admin:example_app_examplecase_changelist"))
    for _ in range(30):
        submit(world)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("admin:example_app_examplecase_changelist"))
    assert response.context["cl"].result_count == 31
