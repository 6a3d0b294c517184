"""Nothing is lost when the broker is down (CONVENTIONS 19): the change commits and the person sees no error; the PDF
and the messages it owes are recorded with it and handed over by the relay once the broker is back."""
import pytest
from django.urls import reverse

from apps.documents.models import Document
from apps.notifications.models import Notification
from apps.outbox.models import OutboxTask
from apps.outbox.services import outbox_relay
from apps.workflow.services import transition_perform
from portal.celery import app
from tests.applications.factories import load_world, submitted
from tests.conftest import broker_repoint

pytestmark = pytest.mark.django_db

DOWN = "redis://127.0.0.1:1/0"  # nothing listens on port 1: every publish is refused at once


@pytest.fixture
def world(roles):
    return load_world()


@pytest.fixture
def broker_down(settings):
    """Tasks are published (not run inline) to a broker that refuses connections."""
    saved = app.conf.broker_url, app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    broker_repoint(DOWN)
    yield
    broker_repoint(None)
    app.conf.task_always_eager = saved[1]


def test_a_clerk_accepts_while_the_broker_is_down_and_nothing_is_lost(client, world, broker_down,
                                                                     django_capture_on_commit_callbacks):
    application = submitted(world)
    before = OutboxTask.objects.order_by("-id").values_list("id", flat=True).first()
    client.force_login(world["clerk"])
    url = reverse("admin:applications_application_transition", args=[application.pk, "accept"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"comment": "材料齐全"})
    assert response.status_code == 302  # the change is committed and the clerk sees it done, not an error page
    application.refresh_from_db()
    assert application.status == "accepted"
    notice = Document.objects.get(object_id=str(application.pk), kind="application_acceptance_notice")
    assert not notice.file  # the PDF waits for the worker
    waiting = OutboxTask.objects.filter(sent_at__isnull=True, id__gt=before)
    assert {row.task for row in waiting} == {"apps.documents.tasks.document_render",
                                             "apps.notifications.tasks.notifications_deliver"}
    assert all(row.attempts == 1 and "refused" in row.last_error for row in waiting), [(r.attempts, r.last_error) for r in waiting]
    # The relay, while the broker is still down: sends nothing, loses nothing.
    pending = OutboxTask.objects.filter(sent_at__isnull=True).count()
    assert outbox_relay(now=max(row.available_at for row in waiting)) == 0
    assert OutboxTask.objects.filter(sent_at__isnull=True).count() == pending
    health = client.get("/healthz").json()
    assert health["backlog"]["pending"] == pending


def test_when_the_broker_is_back_the_relay_hands_everything_over(client, world, broker_down, settings):
    application = submitted(world)
    transition_perform(actor=world["clerk"], obj=application, name="accept", comment="材料齐全")
    # (no on-commit callbacks in this test's transaction: as if the process had died right after commit)
    pending = list(OutboxTask.objects.filter(sent_at__isnull=True).order_by("id"))
    assert pending
    app.conf.task_always_eager = True  # the broker is back; inline execution stands for the worker here
    settings.CELERY_TASK_ALWAYS_EAGER = True
    later = max(row.available_at for row in pending)
    assert outbox_relay(now=later) == len(pending)
    assert Document.objects.get(object_id=str(application.pk), kind="application_acceptance_notice").file
    assert Notification.objects.filter(recipient=world["citizen"], sms_sent_at__isnull=False).exists()
    assert not OutboxTask.objects.filter(sent_at__isnull=True).exists()
    assert outbox_relay(now=later) == 0  # sent once


def test_a_row_that_cannot_be_sent_does_not_hold_up_the_others(world, settings):
    """A task renamed by a deploy while rows waited: that row is kept with its error, the rows after it go."""
    from django.utils import timezone

    from apps.outbox.services import outbox_enqueue
    from apps.notifications.tasks import notifications_deliver

    poison = OutboxTask.objects.create(task="apps.gone.tasks.renamed", args=[1], available_at=timezone.now())
    good = outbox_enqueue(notifications_deliver, [])
    assert outbox_relay(now=good.available_at) == 1
    poison.refresh_from_db()
    assert poison.sent_at is None and poison.attempts == 1 and "renamed" in poison.last_error
    assert OutboxTask.objects.get(pk=good.pk).sent_at is not None
