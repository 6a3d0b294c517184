"""A request by letter or in person, recorded by the agency's office (art. 29) for a person without an account: the
clock counts from the day it was received (art. 31), the receipt is printed, a clarification by letter is recorded by
the office, and the annual table counts it by its kind of requester. Another agency sees none of it."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.deadlines.selectors import deadline_for_stage
from apps.documents.models import Document
from apps.information_requests.constants import DocumentKinds, Stage, Status
from apps.information_requests.models import InformationRequest
from apps.information_requests.selectors import annual_report
from apps.workdays.selectors import workdays_add
from apps.workflow.models import TimelineEntry
from tests.accounts.factories import make_credit_code, make_id_number
from tests.information_requests.test_flow import world  # noqa: F401
from tests.workflow.door import press

pytestmark = pytest.mark.django_db

RECORD = "admin:information_requests_informationrequest_record"


def letter(**overrides):
    received = timezone.localdate() - dt.timedelta(days=3)
    return {"channel": "letter", "received_on": received.isoformat(), "requester_type": "public_welfare",
            "requester_name": "盘锦市绿色家园环保协会", "requester_code": make_credit_code(901),
            "phone": "13900000001", "email": "", "address": "盘锦市兴隆台区石油大街1号",
            "description": "2025年辽河盘锦段水质监测月报", "document_number": "", "info_format": "paper",
            "delivery": "post", **overrides}


def test_the_office_records_a_letter_and_its_clock_counts_from_receipt(world, client, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    client.force_login(world["officer"])
    page = client.get(reverse(RECORD)).content.decode()
    assert "信函" in page and "当面提交" in page and 'value="online"' not in page
    bad = client.post(reverse(RECORD), letter(requester_code="91210000AAAAAAAAAA"))
    assert bad.status_code == 200 and "盘锦市绿色家园环保协会" in bad.content.decode()  # nothing typed is lost
    future = client.post(reverse(RECORD), letter(received_on=(timezone.localdate() + dt.timedelta(days=1)).isoformat()))
    assert "收到日期不能晚于今天" in future.content.decode()
    assert not InformationRequest.objects.exists()

    response = client.post(reverse(RECORD), letter())
    assert response.status_code == 302
    request = InformationRequest.objects.get()
    assert (request.status, request.channel, request.requester_id, request.recorded_by) == (
        Status.RECEIVED, "letter", None, world["officer"])
    assert request.department == world["agency"] and request.reference.startswith("YS-")
    received = timezone.localdate() - dt.timedelta(days=3)
    assert timezone.localtime(request.received_at).date() == received
    clock = deadline_for_stage(obj=request, stage=Stage.ANSWER)
    assert timezone.localtime(clock.due_at).date() == workdays_add(start=received, days=20).value
    receipt = Document.objects.get(kind=DocumentKinds.RECEIPT, object_id=str(request.pk))
    assert "盘锦市绿色家园环保协会" in str(receipt.context)
    change = client.get(reverse("admin:information_requests_informationrequest_change", args=[request.pk]))
    assert reverse("documents:download", args=[receipt.token]) in change.content.decode()
    assert client.get(reverse("documents:download", args=[receipt.token])).status_code == 200
    assert TimelineEntry.objects.filter(object_id=str(request.pk), transition="record").exists()

    # a clarification by letter is recorded by the office; the 20 working days count again from it
    press(client, user=world["officer"], obj=request, name="request_supplement", data={"items": "请说明监测断面"})
    press(client, user=world["officer"], obj=request, name="supplement", data={"text": "兴安断面、赵圈河断面"})
    request.refresh_from_db()
    assert request.status == Status.RECEIVED and request.supplement_text == "兴安断面、赵圈河断面"
    clock = deadline_for_stage(obj=request, stage=Stage.ANSWER)
    assert timezone.localtime(clock.due_at).date() == workdays_add(start=timezone.localdate(), days=20).value

    report = annual_report(department=world["agency"], year=timezone.localdate().year)
    assert report["received"]["public_welfare"] == 1


@pytest.mark.parametrize("key", ["clerk", "head", "citizen"])
def test_only_disclosure_officers_record(world, client, key):
    client.force_login(world[key])
    assert client.get(reverse(RECORD)).status_code in (404, 302)
    assert client.post(reverse(RECORD), letter()).status_code in (404, 302)
    assert not InformationRequest.objects.exists()


@pytest.mark.parametrize("key", ["other_officer", "clerk", "citizen", "stranger"])
def test_a_recorded_request_stays_with_its_agency(world, client, key):
    client.force_login(world["officer"])
    client.post(reverse(RECORD), letter(requester_type="natural_person", requester_code=make_id_number(77),
                                        requester_name="李四", channel="visit"))
    request = InformationRequest.objects.get()
    client.force_login(world[key])
    change = client.get(reverse("admin:information_requests_informationrequest_change", args=[request.pk]))
    assert change.status_code in (302, 403, 404) and "李四" not in change.content.decode()
    assert client.get(reverse("information_requests:detail", args=[request.pk])).status_code in (302, 404)
    if key == "other_officer":  # records for its own agency only
        client.post(reverse(RECORD), letter())
        assert InformationRequest.objects.get(requester_name="盘锦市绿色家园环保协会").department \
            == world["other_officer"].department
