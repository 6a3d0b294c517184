"""Request bodies are bounded and answered with a clear page (never a CSRF page or a 500); the NUL check reads a form
only after the CSRF check; expired sessions are cleared by beat (issue 14, CONVENTIONS 18)."""
import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.attachments.models import Attachment
from tests.applications.factories import PDF, load_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(roles, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    return load_world()


def test_a_body_above_the_limit_is_answered_413_before_it_is_read(client, world, settings):
    from apps.applications import services

    settings.REQUEST_BODY_MAX_BYTES = 1024 * 1024
    application = services.application_start(applicant=world["citizen"], service=world["service"])
    material = application.service.materials.filter(required=True).first()
    client.force_login(world["citizen"])
    response = client.post(reverse("applications:apply_materials", args=[application.pk]),
                           {"material": material.pk, "file": SimpleUploadedFile("大.pdf", PDF + b"0" * 2 * 1024 * 1024)})
    assert response.status_code == 413 and response["Connection"] == "close"
    page = response.content.decode()
    assert "提交的内容过大" in page and "提交的内容超过1.0\xa0MB" in page
    assert not Attachment.objects.exists()


def test_form_text_above_the_limit_is_answered_413_with_a_plain_message(client, world):
    from apps.applications import services

    application = services.application_start(applicant=world["citizen"], service=world["service"])
    client.force_login(world["citizen"])
    text = "说" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 3 + 10)  # 3 bytes a character once encoded
    response = client.post(reverse("applications:apply_applicant", args=[application.pk]),
                           {"phone": "13912345678", "address": "地址", "description": text})
    assert response.status_code == 413
    assert "表单中填写的文字超过2.5\xa0MB" in response.content.decode()
    application.refresh_from_db()
    assert application.address == ""


def test_too_many_files_in_one_request_is_a_plain_400(client, world):
    client.force_login(world["citizen"])
    files = [SimpleUploadedFile(f"{n}.jpg", b"x") for n in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]
    response = client.post(reverse("grid:report"), {"description": "垃圾", "photos": files})
    assert response.status_code == 400
    assert "一次最多可提交20个文件" in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_nul_check_reads_a_form_only_after_the_csrf_check():
    """An anonymous multipart POST without the CSRF cookie is refused by the CSRF check; the NUL middleware, which
    would answer 400 had it parsed the body, never reads it."""
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "a\x00b", "file": SimpleUploadedFile("a.txt", b"x")})
    assert response.status_code == 403 and "表单已过期" in response.content.decode()


def test_a_nul_in_a_form_field_after_the_csrf_check_is_still_a_400(client):
    response = client.post(reverse("accounts:login"), {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400


def test_expired_sessions_are_cleared_by_beat(settings):
    from apps.core.tasks import sessions_clear

    tasks = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert "apps.core.tasks.sessions_clear" in tasks
    live, old = SessionStore(), SessionStore()
    live["n"] = old["n"] = 1
    live.create()
    old.create()
    Session.objects.filter(session_key=old.session_key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    sessions_clear.delay()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
