"""依申请公开 (政府信息公开条例 2019 arts. 29–36): received and timed (20 working days), clarified once with the limit
counting again, a third party's opinion not counted, one extension by the head, answered in an art. 36 form with a
letter — all through the one door, the officer's through the admin buttons."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.deadlines.selectors import deadline_for_stage
from apps.documents.models import Document
from apps.information_requests.constants import DocumentKinds, Stage, Status
from apps.information_requests.models import InformationRequest
from apps.information_requests.services import information_request_submit
from apps.notifications.models import Notification
from apps.organizations.constants import Role
from apps.organizations.models import Department
from apps.workdays.selectors import workdays_add
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.workflow.door import outcome, press

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(roles):
    from django.core.management import call_command

    call_command("load_demo", "--reference-only", verbosity=0)
    agency = Department.objects.get(code="city-market-regulation")
    other = Department.objects.get(code="city-science")
    return {
        "agency": agency,
        "citizen": CitizenFactory(email="c@example.com"),
        "stranger": CitizenFactory(),
        "officer": StaffFactory(department=agency, roles=[Role.DISCLOSURE_OFFICER]),
        "head": StaffFactory(department=agency, roles=[Role.DEPARTMENT_HEAD]),
        "clerk": StaffFactory(department=agency, roles=[Role.CLERK]),
        "other_officer": StaffFactory(department=other, roles=[Role.DISCLOSURE_OFFICER]),
    }


def ask(world, **kwargs):
    data = {"requester": world["citizen"], "department": world["agency"], "description": "2025年本市食品抽检结果",
            "info_format": "electronic", "delivery": "online", "phone": world["citizen"].phone, **kwargs}
    return information_request_submit(**data)


def due_date(request):
    return timezone.localtime(deadline_for_stage(obj=request, stage=Stage.ANSWER).due_at).date()


def test_a_request_is_received_timed_and_acknowledged(world):
    request = ask(world)
    assert request.status == Status.RECEIVED and request.reference.startswith("YS-")
    clock = deadline_for_stage(obj=request, stage=Stage.ANSWER)
    # art. 33: 20 working days from receipt; the case's copy (the officers' queue) follows its clock.
    expected = workdays_add(start=timezone.localtime(request.received_at).date(), days=20).value
    assert due_date(request) == expected and request.due_at == clock.due_at
    receipt = Document.objects.get(kind=DocumentKinds.RECEIPT, object_id=str(request.pk))
    assert "20个工作日内" in "".join(receipt.context["paragraphs"])
    assert Notification.objects.filter(recipient=world["officer"], title__contains=request.reference).exists()


def test_clarification_once_and_the_limit_counts_again(world, client):
    request = ask(world)
    client.force_login(world["officer"])
    press(client, user=world["officer"], obj=request, name="request_supplement",
          data={"items": "请说明抽检的食品类别和时间段", "comment": ""})
    request.refresh_from_db()
    assert request.status == Status.SUPPLEMENT_REQUESTED
    assert deadline_for_stage(obj=request, stage=Stage.ANSWER).paused_at is not None
    notice = Document.objects.get(kind=DocumentKinds.SUPPLEMENT, object_id=str(request.pk))
    assert "请说明抽检的食品类别和时间段" in notice.context["paragraphs"]
    # The requester clarifies on their page; the 20 working days run again from today.
    client.force_login(world["citizen"])
    page = client.get(reverse("information_requests:detail", args=[request.pk])).content.decode()
    assert "请说明抽检的食品类别和时间段" in page
    response = client.post(reverse("information_requests:detail", args=[request.pk]), {"text": "乳制品，2025年全年"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.RECEIVED and request.supplement_text == "乳制品，2025年全年"
    assert due_date(request) == workdays_add(start=timezone.localdate(), days=20).value
    # Asked once, all of it (art. 30): a second request for clarification is refused on the officer's form.
    client.force_login(world["officer"])
    answer = press(client, user=world["officer"], obj=request, name="request_supplement",
                   data={"items": "再补充", "comment": ""})
    assert answer.status_code == 200 and "已要求补正过一次" in answer.content.decode()


def test_a_third_party_s_time_does_not_count_and_the_head_extends_once(world, client):
    request = ask(world)
    before = due_date(request)
    client.force_login(world["officer"])
    press(client, user=world["officer"], obj=request, name="consult",
          data={"third_party": "盘锦某乳业有限公司", "comment": "涉及商业秘密"})
    request.refresh_from_db()
    assert request.status == Status.CONSULTING and deadline_for_stage(obj=request, stage=Stage.ANSWER).paused_at
    press(client, user=world["officer"], obj=request, name="consulted", data={"comment": ""})
    request.refresh_from_db()
    assert request.status == Status.RECEIVED and due_date(request) >= before
    # The officer has no extension button; the head extends once, at most 20 working days, and the requester is told.
    assert outcome(press(client, user=world["officer"], obj=request, name="extend",
                         data={"days": "20", "comment": "需要调取档案"})) != "done"
    client.force_login(world["head"])
    start = due_date(request)
    press(client, user=world["head"], obj=request, name="extend", data={"days": "20", "comment": "需要调取档案"})
    request.refresh_from_db()
    assert request.extension_used and due_date(request) == workdays_add(start=start, days=20).value
    assert Document.objects.filter(kind=DocumentKinds.EXTENSION, object_id=str(request.pk)).exists()
    again = press(client, user=world["head"], obj=request, name="extend", data={"days": "5", "comment": "再延"})
    assert again.status_code == 200 and "已延长过一次" in again.content.decode()


def test_the_answer_is_a_letter_in_an_art_36_form_with_the_rights(world, client):
    request = ask(world)
    client.force_login(world["officer"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.applications.factories import PDF

    press(client, user=world["officer"], obj=request, name="answer",
          data={"kind": "partly", "text": "提供抽检汇总表；企业名单涉及商业秘密不予公开。",
                "file": SimpleUploadedFile("抽检汇总表.pdf", PDF, content_type="application/pdf")})
    request.refresh_from_db()
    assert request.status == Status.ANSWERED and request.answer_kind == "partly" and request.due_at is None
    letter = Document.objects.get(kind=DocumentKinds.ANSWER, object_id=str(request.pk))
    text = "".join(letter.context["paragraphs"] + letter.context["closing"])
    assert "第三十七条" in text and "行政复议" in text and "提供抽检汇总表" in text
    told = Notification.objects.get(recipient=world["citizen"], title__contains="已答复")
    assert told.send_sms
    client.force_login(world["citizen"])
    page = client.get(reverse("information_requests:detail", args=[request.pk])).content.decode()
    assert "政府信息公开申请答复书" in page and "部分公开" in page and "抽检汇总表.pdf" in page
    from apps.attachments.models import Attachment

    given = Attachment.objects.get(object_id=str(request.pk), purpose="answer")
    assert client.get(reverse("attachments:download", args=[given.pk])).status_code == 200
    client.force_login(world["stranger"])
    assert client.get(reverse("attachments:download", args=[given.pk])).status_code == 404


def test_an_answer_needs_its_form_and_text(world, client):
    request = ask(world)
    client.force_login(world["officer"])
    response = press(client, user=world["officer"], obj=request, name="answer", data={"kind": "", "text": ""})
    assert response.status_code == 200
    assert InformationRequest.objects.get(pk=request.pk).status == Status.RECEIVED


@pytest.mark.parametrize("who, visible", [("citizen", True), ("stranger", False), ("officer", True),
                                          ("clerk", False), ("other_officer", False)])
def test_who_sees_a_request(world, client, who, visible):
    request = ask(world)
    client.force_login(world[who])
    public = client.get(reverse("information_requests:detail", args=[request.pk]))
    admin = client.get(reverse("admin:information_requests_informationrequest_change", args=[request.pk]))
    if who in ("citizen", "stranger"):
        assert public.status_code == (200 if visible else 404)
    else:
        assert admin.status_code == (200 if visible else 404) or (not visible and admin.status_code == 403)


def test_the_public_form_explains_each_mistake_and_keeps_what_was_typed(world, client):
    client.force_login(world["citizen"])
    response = client.post(reverse("information_requests:new"), {
        "department": "", "description": "本市2025年食品抽检结果", "info_format": "paper", "delivery": "post",
        "phone": world["citizen"].phone, "address": ""}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = response.content.decode()
    assert response.status_code == 200 and not InformationRequest.objects.exists()
    assert "请选择掌握该信息的机关" in page and "请填写邮寄地址" in page and "本市2025年食品抽检结果" in page


def test_withdrawing_asks_first(world, client):
    request = ask(world)
    client.force_login(world["citizen"])
    url = reverse("information_requests:withdraw", args=[request.pk])
    page = client.get(url).content.decode()
    assert "不可撤销" in page and InformationRequest.objects.get(pk=request.pk).status == Status.RECEIVED
    client.post(url)
    request.refresh_from_db()
    assert request.status == Status.WITHDRAWN and request.due_at is None
    assert deadline_for_stage(obj=request, stage=Stage.ANSWER).cancelled_at is not None


def test_the_due_date_moves_with_a_calendar_entry(world, django_capture_on_commit_callbacks):
    """CONVENTIONS 16: the queue's copy follows the clock when the operator enters a year."""
    from apps.deadlines.services import deadline_attach, deadline_start
    from apps.workdays.services import calendar_year_enter, parse_day_lines

    request = ask(world)
    clock = deadline_start(obj=request, stage="answer", label="答复", unit="working_days", limit=20,
                           started_at=timezone.make_aware(dt.datetime(2027, 1, 25, 10)))
    deadline_attach(obj=request, deadline=clock)
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_enter(actor=None, year=2027, holidays=parse_day_lines(text="2027-02-06..2027-02-14 春节",
                                                                           year=2027), workdays=[],
                            accept_differences=True)
    request.refresh_from_db()
    assert request.due_at == request.current_deadline.due_at and not request.current_deadline.provisional


def later(monkeypatch, days):
    """Move the clock of the world ``days`` calendar days on (what the officers see then)."""
    moment = timezone.now() + dt.timedelta(days=days)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def test_the_law_s_windows_are_kept(world, client, monkeypatch):
    """art. 30: clarification only within 7 working days of receipt, a period given to clarify, no closing before it
    ends; art. 33: no extension once the limit has run out."""
    late = ask(world)
    fresh = ask(world)
    press(client, user=world["officer"], obj=fresh, name="request_supplement",
          data={"items": "请说明时间段", "comment": ""})
    fresh.refresh_from_db()
    notice = Document.objects.get(kind=DocumentKinds.SUPPLEMENT, object_id=str(fresh.pk))
    assert "前补正" in "".join(notice.context["paragraphs"])
    early = press(client, user=world["officer"], obj=fresh, name="abandon", data={"comment": "未补正"})
    assert early.status_code == 200 and "之后才能终止" in early.content.decode()

    later(monkeypatch, 14)
    too_late = press(client, user=world["officer"], obj=late, name="request_supplement",
                     data={"items": "请说明", "comment": ""})
    assert too_late.status_code == 200 and "7个工作日内" in too_late.content.decode()
    later(monkeypatch, 40)
    assert outcome(press(client, user=world["officer"], obj=fresh, name="abandon", data={"comment": "逾期未补正"})) \
        == "done"
    refused = press(client, user=world["head"], obj=late, name="extend", data={"days": "20", "comment": "需要调取档案"})
    assert refused.status_code == 200 and "已届满" in refused.content.decode()
    assert not InformationRequest.objects.get(pk=late.pk).extension_used


def test_a_third_party_has_its_own_clock_and_the_letter_keeps_the_first_receipt(world, client):
    request = ask(world)
    received = request.received_at
    press(client, user=world["officer"], obj=request, name="consult", data={"third_party": "某公司", "comment": "涉密"})
    consultation = deadline_for_stage(obj=request, stage=Stage.CONSULTATION)
    assert consultation.limit == 15 and consultation.is_open
    press(client, user=world["officer"], obj=request, name="consulted", data={"comment": ""})
    assert deadline_for_stage(obj=request, stage=Stage.CONSULTATION).completed_at is not None
    press(client, user=world["officer"], obj=request, name="request_supplement", data={"items": "请说明", "comment": ""})
    client.force_login(world["citizen"])
    client.post(reverse("information_requests:detail", args=[request.pk]), {"text": "补充说明"})
    request.refresh_from_db()
    assert request.received_at == received and request.supplemented_at is not None
    press(client, user=world["officer"], obj=request, name="answer", data={"kind": "disclosed", "text": "见附件"})
    letter = Document.objects.get(kind=DocumentKinds.ANSWER, object_id=str(request.pk))
    assert timezone.localtime(received).strftime("%Y年%m月%d日") in letter.context["paragraphs"][0]


def test_the_officer_starts_the_day_from_the_requests_to_answer(world, client):
    ask(world)
    ask(world)
    client.force_login(world["officer"])
    page = client.get(reverse("admin:index")).content.decode()
    assert 'data-queue="information_requests.to_answer"' in page
    listed = client.get(reverse("admin:information_requests_informationrequest_changelist"), {"queue": "to_answer"})
    assert listed.context["cl"].result_count == 2
    client.force_login(world["other_officer"])  # another agency's officer: its own zero
    other = client.get(reverse("admin:information_requests_informationrequest_changelist"), {"queue": "to_answer"})
    assert other.context["cl"].result_count == 0
