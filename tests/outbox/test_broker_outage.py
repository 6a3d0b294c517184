"""The broker really stops mid-flow (a Redis server of this test's own, shut down and started again) and a real
worker takes over when it is back: the acceptance notice's PDF and the applicant's SMS arrive, once each."""
import shutil
import socket
import subprocess
import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse

from apps.documents.models import Document
from apps.notifications.models import Notification
from apps.outbox.models import OutboxTask
from apps.outbox.tasks import outbox_relay
from portal.celery import app
from tests.applications.factories import load_world, submitted
from tests.conftest import broker_repoint

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Redis:
    def __init__(self, port):
        self.port, self.process = port, None

    def start(self):
        self.process = subprocess.Popen([shutil.which("redis-server"), "--port", str(self.port), "--save", "",
                                         "--appendonly", "no"], stdout=subprocess.DEVNULL)
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def wait_for(predicate, timeout=60):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def test_the_broker_stops_mid_flow_and_everything_arrives_after_it_returns(client, roles, settings):
    assert shutil.which("redis-server"), "redis-server is installed by .ci/run (Debian's redis-server)"
    redis = Redis(free_port())
    redis.start()
    saved = app.conf.broker_url, app.conf.task_always_eager, app.conf.task_default_queue
    queue = f"outage-{uuid.uuid4().hex[:8]}"
    try:
        settings.CELERY_TASK_ALWAYS_EAGER = False
        app.conf.task_always_eager = False
        app.conf.task_default_queue = queue
        broker_repoint(f"redis://127.0.0.1:{redis.port}/0")
        world = load_world()
        application = submitted(world)
        redis.stop()  # the broker goes down

        client.force_login(world["clerk"])
        response = client.post(reverse("admin:applications_application_transition", args=[application.pk, "accept"]),
                               {"comment": "材料齐全"})
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.status == "accepted"
        notice = Document.objects.get(object_id=str(application.pk), kind="application_acceptance_notice")
        assert not notice.file
        assert OutboxTask.objects.filter(sent_at__isnull=True, task="apps.documents.tasks.document_render").exists()
        assert client.get("/healthz").json()["backlog"]["pending"] >= 2

        redis.start()  # the broker is back: the beat's next relay hands everything to the worker
        broker_repoint(f"redis://127.0.0.1:{redis.port}/0")
        OutboxTask.objects.update(available_at=OutboxTask.objects.order_by("id").first().created_at)
        with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue], loglevel="WARNING",
                          shutdown_timeout=30):
            outbox_relay.delay()
            assert wait_for(lambda: Document.objects.get(pk=notice.pk).file), "the PDF never came"
            assert wait_for(lambda: Notification.objects.filter(recipient=world["citizen"], sms_sent_at__isnull=False,
                                                                title__contains="受理").exists()), "no SMS"
        assert not OutboxTask.objects.filter(sent_at__isnull=True).exists()
        assert Document.objects.filter(object_id=str(application.pk), kind="application_acceptance_notice").count() == 1
    finally:
        broker_repoint(None)
        app.conf.task_always_eager, app.conf.task_default_queue = saved[1], saved[2]
        if redis.process and redis.process.poll() is None:
            redis.stop()
