import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from apps.notifications.models import Notification
from apps.notifications.services import notifications_deliver_now, notify
from apps.notifications.sms import LocmemSmsBackend
from tests.accounts.factories import CitizenFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sms_outbox():
    LocmemSmsBackend.outbox = []


def test_inbox_row_now_email_and_sms_only_after_commit(django_capture_on_commit_callbacks):
    user = CitizenFactory(email="a@example.com")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipients=[user], title="您的申请已受理", body="请留意办理进度。", url="/inbox/", sms=True)
        assert Notification.objects.filter(recipient=user).count() == 1
        assert mail.outbox == [] and LocmemSmsBackend.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert [m.subject for m in mail.outbox] == ["您的申请已受理"]
    assert "https://portal.example.gov.cn/inbox/" in mail.outbox[0].body
    assert LocmemSmsBackend.outbox == [{"phone": user.phone, "text": "您的申请已受理 请留意办理进度。"}]


def test_delivery_is_idempotent(django_capture_on_commit_callbacks):
    user = CitizenFactory(email="a@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        created = notify(recipients=[user], title="t", sms=True)
    notifications_deliver_now(ids=[n.pk for n in created])
    assert len(mail.outbox) == 1 and len(LocmemSmsBackend.outbox) == 1


def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    user = CitizenFactory(email="a@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            notify(recipients=[user], title="t")
            raise RuntimeError
    assert not Notification.objects.exists() and mail.outbox == []


def test_inbox_shows_unread_count_and_marks_read(client):
    user, other = CitizenFactory(), CitizenFactory()
    mine = notify(recipients=[user], title="第一条消息", email=False)[0]
    notify(recipients=[user], title="第二条消息", email=False)
    theirs = notify(recipients=[other], title="别人的消息", email=False)[0]
    client.force_login(user)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "第一条消息" in page and "第二条消息" in page and "别人的消息" not in page
    assert '<span class="badge"' in page and ">2</span>" in page
    client.post(reverse("notifications:mark_read", args=[mine.pk]))
    client.post(reverse("notifications:mark_read", args=[theirs.pk]))  # not theirs to mark
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    page = client.get("/").content.decode()
    assert ">1</span>" in page
    client.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()


def test_inbox_query_count_does_not_grow(client, django_assert_max_num_queries):
    user = CitizenFactory()
    client.force_login(user)
    notify(recipients=[user], title="x", email=False)
    with django_assert_max_num_queries(10) as one:
        client.get(reverse("notifications:inbox"))
    for i in range(30):
        notify(recipients=[user], title=f"x{i}", email=False)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("notifications:inbox"))
