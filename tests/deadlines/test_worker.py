"""The beat task and the example case's tasks in a real Celery worker (Redis in CI, the filesystem broker locally)."""
import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.utils import timezone

from apps.deadlines.constants import DeadlineStatus, Unit
from apps.deadlines.models import Deadline
from apps.deadlines.services import deadline_start
from apps.deadlines.tasks import deadlines_sweep
from apps.documents.models import Document
from apps.notifications.models import Notification
from apps.workflow.services import transition_perform
from portal.celery import app
from tests.example_app.factories import make_world, submit

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(settings):
    """A real worker thread consuming a queue of its own; tasks are sent through the broker, not run inline."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue], loglevel="WARNING",
                      shutdown_timeout=30):
        yield queue
    app.conf.task_always_eager = True
    app.conf.task_default_queue = "celery"


def wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_beat_sweep_in_a_real_worker_marks_and_notifies_once(roles, worker):
    world = make_world()
    case = submit(world)
    overdue = deadline_start(obj=case, stage="check", label="核查期限", unit=Unit.HOURS, limit=2,
                             started_at=timezone.now() - timezone.timedelta(hours=3),
                             responsible_user=world["clerk"], responsible_department=world["department"])
    Deadline.objects.filter(pk=overdue.pk).update(status=DeadlineStatus.RUNNING)  # as the sweep last saw it
    deadlines_sweep.delay()
    assert wait_for(lambda: Deadline.objects.get(pk=overdue.pk).status == DeadlineStatus.OVERDUE)
    assert wait_for(lambda: Notification.objects.filter(title__contains="核查期限").count() == 2)
    deadlines_sweep.delay()  # a second run changes nothing and notifies nobody again
    time.sleep(2)
    assert Notification.objects.filter(title__contains="核查期限").count() == 2
    recipients = set(Notification.objects.filter(title__contains="核查期限").values_list("recipient", flat=True))
    assert recipients == {world["clerk"].pk, world["head"].pk}


def test_example_case_end_to_end_with_the_worker(roles, worker):
    world = make_world()
    case = submit(world)
    transition_perform(actor=world["clerk"], obj=case, name="accept", comment="材料齐全")
    # After commit, the worker renders the acceptance notice and delivers the applicant's e-mail.
    assert wait_for(lambda: Document.objects.filter(object_id=str(case.pk)).exclude(file="").exists())
    assert wait_for(lambda: Notification.objects.filter(recipient=world["applicant"], emailed_at__isnull=False).exists())
    assert any(m.to == ["applicant@example.com"] for m in mail.outbox)
    document = Document.objects.get(object_id=str(case.pk))
    assert document.file.open("rb").read().startswith(b"%PDF")
