import io
import zipfile

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from apps.attachments.forms import AttachmentField
from apps.attachments.models import Attachment
from apps.attachments.services import attachment_create
from tests.accounts.factories import StaffFactory
from tests.example_app.factories import make_world, submit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def image_bytes(fmt, size=(1200, 800)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def ofd_bytes(with_manifest=True):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("OFD.xml" if with_manifest else "readme.txt", "<ofd:OFD/>")
    return out.getvalue()


@pytest.fixture
def world(roles):
    return make_world()


@pytest.fixture
def case(world):
    return submit(world)


@pytest.mark.parametrize("name, content, mime", [
    ("营业执照.pdf", PDF, "application/pdf"),
    ("照片.JPG", image_bytes("JPEG"), "image/jpeg"),
    ("scan.png", image_bytes("PNG"), "image/png"),
    ("电子证照.ofd", ofd_bytes(), "application/ofd"),
    ("named-wrongly.png", PDF, "application/pdf"),  # the content decides, not the name
])
def test_accepted_by_content_and_stored_under_a_generated_name(case, world, settings, name, content, mime):
    attachment = attachment_create(obj=case, upload=SimpleUploadedFile(name, content), actor=world["applicant"])
    assert attachment.mime == mime and attachment.original_name == name
    assert name.split(".")[0] not in attachment.file.name
    assert attachment.file.name.endswith(attachment.id.hex + "." + attachment.extension)
    stored = settings.PRIVATE_MEDIA_ROOT / attachment.file.name
    assert stored.read_bytes() == content
    assert "static" not in str(stored)
    assert bool(attachment.thumbnail) is mime.startswith("image/")
    if attachment.thumbnail:
        with Image.open(attachment.thumbnail.open("rb")) as thumb:
            assert max(thumb.size) <= 320


@pytest.mark.parametrize("name, content, message", [
    ("scan.pdf", b"MZ\x90\x00" + b"\x00" * 200, "不是PDF、JPEG、PNG或OFD文件"),
    ("archive.ofd", ofd_bytes(with_manifest=False), "不是PDF、JPEG、PNG或OFD文件"),
    ("broken.png", image_bytes("PNG")[:60], "已损坏"),
    ("empty.pdf", b"", "为空"),
])
def test_refused_uploads_say_why_in_chinese_and_store_nothing(case, world, settings, name, content, message):
    with pytest.raises(ValidationError) as info:
        attachment_create(obj=case, upload=SimpleUploadedFile(name, content), actor=world["applicant"])
    assert message in " ".join(info.value.messages)
    assert not Attachment.objects.exists()
    assert not (settings.PRIVATE_MEDIA_ROOT / "attachments").exists()


def test_size_limit_from_settings(case, world, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as info:
        attachment_create(obj=case, upload=SimpleUploadedFile("big.pdf", PDF + b"0" * 2048), actor=world["applicant"])
    assert "最大" in info.value.messages[0] and "1.0" in info.value.messages[0]


class MaterialForm(forms.Form):
    title = forms.CharField()
    licence = AttachmentField(label="营业执照")


def test_a_refused_upload_keeps_the_rest_of_the_form():
    form = MaterialForm(data={"title": "酒类零售备案"}, files={"licence": SimpleUploadedFile("a.pdf", b"not a pdf")})
    assert not form.is_valid()
    assert "不是PDF" in form.errors["licence"][0]
    assert form["title"].value() == "酒类零售备案" and 'value="酒类零售备案"' in str(form["title"])


@pytest.mark.parametrize("who, status", [("applicant", 200), ("clerk", 200), ("head", 200),
                                         ("no_role_staff", 404), ("stranger", 404), ("other_clerk", 404),
                                         ("anonymous", 404)])
def test_download_only_for_those_who_may_see_the_case(client, case, world, who, status):
    attachment = attachment_create(obj=case, upload=SimpleUploadedFile("营业执照.pdf", PDF), actor=world["applicant"])
    if who != "anonymous":
        client.force_login(world[who])
    response = client.get(reverse("attachments:download", args=[attachment.pk]))
    assert response.status_code == status
    if status == 404:
        assert PDF not in response.content
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert "filename*=utf-8''%E8%90%A5" in response["Content-Disposition"]


def test_thumbnail_is_served_through_the_same_check(client, case, world):
    attachment = attachment_create(obj=case, upload=SimpleUploadedFile("p.png", image_bytes("PNG")),
                                   actor=world["applicant"])
    client.force_login(world["clerk"])
    response = client.get(reverse("attachments:download", args=[attachment.pk]) + "?thumb=1")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    client.force_login(StaffFactory())
    assert client.get(reverse("attachments:download", args=[attachment.pk]) + "?thumb=1").status_code == 404


def test_no_public_url_exists_for_uploads(client, case, world):
    attachment = attachment_create(obj=case, upload=SimpleUploadedFile("a.pdf", PDF), actor=world["applicant"])
    assert client.get("/media/" + attachment.file.name).status_code == 404
    assert client.get("/static/" + attachment.file.name).status_code == 404
