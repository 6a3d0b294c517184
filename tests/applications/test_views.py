import pytest
from django.urls import reverse

from apps.applications.constants import Status
from apps.applications.models import Application
from apps.attachments.models import Attachment
from apps.workflow.models import TimelineEntry
from tests.applications.factories import PDF, approve, complete, draft_with_materials, load_world, pdf, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(roles):
    return load_world()


def test_wizard_keeps_typed_data_on_error_and_prefills_from_the_account(client, world):
    client.force_login(world["citizen"])
    start = reverse("applications:apply_start", args=["SCJG-XK-0001"])
    # Opening the link creates nothing (another site's link, a prefetcher); the button does (issue 14).
    assert "开始填写申请" in client.get(start).content.decode() and not Application.objects.exists()
    response = client.post(start)
    application = Application.objects.get(applicant=world["citizen"])
    assert client.get(start).url == reverse("applications:apply_applicant", args=[application.pk])  # resumed
    assert response.url == reverse("applications:apply_applicant", args=[application.pk])
    page = client.get(response.url).content.decode()
    assert f'value="{world["citizen"].phone}"' in page
    response = client.post(response.url, {"phone": "123", "address": "兴隆台区市府大路100号", "description": "面包店"})
    page = response.content.decode()
    assert response.status_code == 200 and "11位手机号码" in page and "兴隆台区市府大路100号" in page and "面包店" in page


def test_a_refused_upload_says_why_and_keeps_the_other_materials(client, world):
    application = draft_with_materials(world)
    client.force_login(world["citizen"])
    material = application.service.materials.filter(required=True).first()
    before = Attachment.objects.count()
    response = client.post(reverse("applications:apply_materials", args=[application.pk]),
                           {"material": material.pk, "file": pdf("x.pdf").__class__("x.pdf", b"GIF89a....")})
    assert response.status_code == 200 and "不是PDF" in response.content.decode()
    assert Attachment.objects.count() == before


def test_oversized_upload_is_explained(client, world, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    application = draft_with_materials(world)
    client.force_login(world["citizen"])
    material = application.service.materials.first()
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("big.pdf", PDF + b"0" * 500)
    response = client.post(reverse("applications:apply_materials", args=[application.pk]),
                           {"material": material.pk, "file": big})
    assert response.status_code == 200 and "最大" in response.content.decode()


def test_double_submit_through_the_page_makes_one_application(client, world):
    application = draft_with_materials(world)
    client.force_login(world["citizen"])
    url = reverse("applications:apply_review", args=[application.pk])
    data = {"declaration": "on"}
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert Application.objects.filter(status=Status.SUBMITTED).count() == 1
    assert TimelineEntry.objects.filter(transition="submit").count() == 1


def test_expired_session_keeps_what_was_typed(client, world):
    application = draft_with_materials(world)
    url = reverse("applications:apply_applicant", args=[application.pk])
    response = client.post(url, {"phone": "13912345678", "address": "新地址100号", "description": "说明文字"})
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    client.force_login(world["citizen"])
    page = client.get(url).content.decode()
    assert "新地址100号" in page and "说明文字" in page


@pytest.mark.parametrize("who", ["stranger", "other_clerk", "clerk"])
def test_another_users_id_in_a_public_url_is_a_404(client, world, who):
    application = submitted(world)
    client.force_login(world[who])
    for name in ("detail", "apply_applicant", "apply_materials", "apply_review"):
        assert client.get(reverse(f"applications:{name}", args=[application.pk])).status_code == 404, name
    assert client.post(reverse("applications:withdraw", args=[application.pk])).status_code == 404
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED


def test_clerk_of_another_department_cannot_list_open_act_or_download(client, world):
    application = submitted(world)
    attachment = Attachment.objects.filter(object_id=str(application.pk)).first()
    client.force_login(world["other_clerk"])
    listing = client.get(reverse("admin:applications_application_changelist"))
    assert listing.status_code == 200 and application not in listing.context["cl"].result_list
    assert client.get(reverse("admin:applications_application_change", args=[application.pk])).status_code == 404
    response = client.post(reverse("admin:applications_application_transition", args=[application.pk, "accept"]),
                           {"comment": ""})
    assert response.status_code == 404
    assert client.get(reverse("attachments:download", args=[attachment.pk])).status_code == 404
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED
    client.force_login(world["clerk"])
    assert client.get(reverse("attachments:download", args=[attachment.pk])).status_code == 200


def test_public_lookup_needs_both_reference_and_phone(client, world):
    application = submitted(world)
    url = reverse("applications:lookup")
    ok = client.get(url, {"reference": application.reference.lower(), "phone_last4": application.phone[-4:]})
    assert ok.status_code == 200 and "已提交，待受理" in ok.content.decode()
    for params in ({"reference": application.reference, "phone_last4": "0000"},
                   # the right day's number with another tail (1 is never in a tail): a guess that must fail
                   {"reference": application.reference[:-1] + "1", "phone_last4": application.phone[-4:]},
                   {"reference": "'; DROP TABLE x; --", "phone_last4": "12ab"}):
        response = client.get(url, params)
        page = response.content.decode()
        assert response.status_code in (200, 404) and application.service.name not in page
        assert application.applicant_name not in page
    assert world["citizen"].citizen_profile.real_name not in ok.content.decode()


def test_my_applications_query_count(client, world, django_assert_max_num_queries):
    client.force_login(world["citizen"])
    submitted(world)
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("applications:mine"))
    for code in ["SCJG-XK-0002", "SCJG-DJ-0003", "GA-HJ-0001", "MZ-YL-0002"]:
        from apps.catalogue.models import ServiceItem

        submitted(world, service=ServiceItem.objects.get(code=code))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("applications:mine"))
    assert response.content.decode().count("YW-") >= 5


def test_queue_is_sorted_by_deadline_and_counts_do_not_grow(client, world, django_assert_max_num_queries):
    client.force_login(world["clerk"])
    submitted(world)
    with django_assert_max_num_queries(25) as one:
        client.get(reverse("admin:applications_application_changelist"))
    from tests.accounts.factories import CitizenFactory

    for _ in range(10):
        submitted(world, applicant=CitizenFactory())
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("admin:applications_application_changelist"))
    rows = list(response.context["cl"].result_list)
    dues = [a.current_deadline.due_at for a in rows]
    assert len(rows) == 11 and dues == sorted(dues)


def test_satisfaction_page(client, world):
    from apps.applications import services
    from apps.workflow.services import transition_perform

    application = submitted(world)
    application = complete(world, approve(world, transition_perform(actor=world["clerk"], obj=application,
                                                                    name="accept")))
    services.application_rate(actor=world["citizen"], application=application, level=2, comment="慢")
    page = client.get(reverse("applications:satisfaction")).content.decode()
    assert "市市场监管局" in page and "食品经营许可（新办）" in page and "2.00" in page


def test_pdf_download_of_the_receipt(client, world):
    from apps.documents.models import Document

    application = submitted(world)
    document = Document.objects.get(object_id=str(application.pk), kind="application_receipt")
    client.force_login(world["citizen"])
    response = client.get(reverse("documents:download", args=[document.token]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(world["stranger"])
    assert client.get(reverse("documents:download", args=[document.token])).status_code == 404
    assert PDF


def test_department_head_closes_a_rectification_in_the_admin(client, world):
    from django.contrib.auth.models import Group

    from apps.applications import services
    from apps.applications.models import Rectification
    from apps.organizations.services import roles_sync
    from apps.workflow.services import transition_perform

    roles_sync()  # the head's group carries the rectification permissions
    for key in ("head", "other_head"):
        world[key].groups.set([Group.objects.get(name="department_head")])
    application = submitted(world)
    application = complete(world, approve(world, transition_perform(actor=world["clerk"], obj=application,
                                                                    name="accept")))
    services.application_rate(actor=world["citizen"], application=application, level=1, comment="态度差")
    rectification = Rectification.objects.get()
    url = reverse("admin:applications_rectification_change", args=[rectification.pk])
    client.force_login(world["other_head"])
    assert client.get(url).status_code == 404
    client.force_login(world["head"])
    page = client.get(url).content.decode()
    assert "态度差" in page and application.reference in page and "剩余 15" in page
    # Without a response the service refuses: its message alone, not Django's success beside it, and nothing closed.
    response = client.post(url, {"response": "  "}, follow=True)
    page = response.content.decode()
    assert "请说明整改情况" in page
    assert "成功" not in page
    rectification.refresh_from_db()
    assert rectification.closed_at is None
    client.post(url, {"response": "已约谈经办人，完善首问负责制"})
    rectification.refresh_from_db()
    assert rectification.closed_by == world["head"] and rectification.response.startswith("已约谈")


@pytest.mark.parametrize("who,state,expected", [
    ("citizen", "submitted", "withdrawn"), ("citizen", "accepted", "withdrawn"), ("citizen", "approved", "approved"),
    ("stranger", "submitted", "submitted"),
])
def test_withdraw_through_the_page(client, world, who, state, expected):
    from apps.notifications.models import Notification

    from .factories import accepted

    application = submitted(world) if state == "submitted" else accepted(world)
    if state == "approved":
        application = approve(world, application)
    client.force_login(world[who])
    url = reverse("applications:withdraw", args=[application.pk])
    if expected == "withdrawn":
        # 撤回 asks first on a page of its own (issue 19): the detail page's button leads there, nothing changes yet.
        detail = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
        assert f'href="{url}"' in detail
        asking = client.get(url).content.decode()
        assert "确定撤回申请吗？" in asking and "部门停止办理该申请" in asking and "不，保留申请" in asking
        assert client.post(url).status_code == 200  # a post without the confirmation's own button only asks
        assert Application.objects.get(pk=application.pk).status == state
    response = client.post(url, {"confirm": "withdraw"})
    application = Application.objects.get(pk=application.pk)
    assert application.status == expected
    if who == "stranger":
        assert response.status_code == 404
        return
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    if expected == Status.WITHDRAWN:
        # The running clock is cancelled, the queue's copy cleared, the clerks told.
        assert application.due_at is None and application.current_deadline is None
        assert Notification.objects.filter(recipient=world["clerk"], title__contains="撤回").exists()
    else:
        assert "已被处理" in page  # the reason it was refused, on the applicant's page


def test_a_rating_without_a_level_keeps_the_comment_and_names_the_level(client, world):
    from tests.applications.factories import accepted

    application = accepted(world)
    application = complete(world, approve(world, application))
    client.force_login(world["citizen"])
    response = client.post(reverse("applications:rate", args=[application.pk]), {"comment": "窗口服务很耐心"})
    page = response.content.decode()
    assert response.status_code == 400 and "<title>错误：" in page
    assert "窗口服务很耐心</textarea>" in page
    assert "请选择您的满意程度" in page and 'href="#id_level_0"' in page
    assert not hasattr(Application.objects.get(pk=application.pk), "rating")
    client.post(reverse("applications:rate", args=[application.pk]), {"level": "5", "comment": "窗口服务很耐心"})
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "已办结，感谢您的评价" in page and "请对服务进行评价" not in page


def test_the_applicant_step_summarises_errors_with_links_and_field_messages(client, world):
    application = draft_with_materials(world)
    client.force_login(world["citizen"])
    response = client.post(reverse("applications:apply_applicant", args=[application.pk]),
                           {"phone": "", "email": "不是邮箱", "address": "兴隆台区市府大路100号"})
    page = response.content.decode()
    assert "<title>错误：" in page and 'class="error-summary" role="alert" tabindex="-1"' in page
    assert '<a href="#id_phone">请填写“手机号”。</a>' in page
    assert "“电子邮箱”请填写电子邮箱地址" in page and 'href="#id_email"' in page
    assert "This field is required" not in page and "该字段是必填项" not in page
    assert "兴隆台区市府大路100号" in page and 'aria-describedby="id_phone_error"' in page
