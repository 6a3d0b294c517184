"""What an attacker's pass found after the hardening (issue 14), each now a clear answer instead of a 500 or a leak."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_cut_off_photo_is_refused_with_a_message_and_leaves_no_file(roles, client, settings):
    from PIL import Image

    from apps.attachments.models import Attachment
    from tests.grid.factories import load_people, load_world

    people = load_people(load_world())
    buffer = io.BytesIO()
    Image.effect_noise((400, 400), 50).convert("RGB").save(buffer, "JPEG")
    cut = buffer.getvalue()[: len(buffer.getvalue()) // 2]  # a photo interrupted in transfer
    client.force_login(people["citizen"])
    response = client.post(reverse("grid:report"), {
        "description": "路灯不亮", "lat": "41.105", "lng": "122.005", "category": people["garbage"].pk,
        "photos": SimpleUploadedFile("现场.jpg", cut, content_type="image/jpeg")}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    # The form again (400, as every refused form of this page), the photo named and what is wrong with it.
    assert response.status_code == 400 and "不完整或已损坏" in response.content.decode()
    assert not Attachment.objects.exists()
    folder = settings.PRIVATE_MEDIA_ROOT
    assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))


def test_the_verify_form_takes_whatever_is_typed(client):
    for typed in (" ", "a/b", "\n", "ab cd/12"):
        response = client.get(reverse("documents:verify_form"), {"code": typed})
        assert response.status_code in (200, 302, 404), typed
    assert client.get(reverse("documents:verify_form"), {"code": "ab cd/12"})["Location"].endswith("/verify/ABCD12")


def test_an_overlong_e_mail_is_a_message_not_a_500(client, roles):
    email = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".cn"  # 311 characters, valid by the RFC's parts
    response = client.post(reverse("accounts:register_citizen"), {
        "real_name": "张三", "id_number": "110101199003070011", "phone": "13912345678", "email": email,
        "password1": "Portal-2026-pass", "password2": "Portal-2026-pass"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and "email" in response.context["form"].errors


def test_the_honor_reviews_api_is_for_the_reviewers(client, roles):
    from apps.organizations.constants import Role
    from tests.accounts.factories import StaffFactory
    from tests.honors.factories import load_world, submitted

    world = load_world()
    submitted(world)
    clerk = StaffFactory(department=world["science"].department, roles=[Role.CLERK])
    client.force_login(clerk)
    assert client.get("/api/v1/honors/reviews/").json()["results"] == []
    client.force_login(world["science"])
    assert client.get("/api/v1/honors/reviews/").json()["results"]


def test_a_workbook_whose_cell_text_would_flood_memory_is_refused_from_its_directory(settings):
    import zipfile

    from apps.disclosure.tables import table_read

    settings.DISCLOSURE_IMPORT_MAX_STRINGS_BYTES = 1024 * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        strings = "".join(f"<si><t>{n:08d}公开内容</t></si>" for n in range(60000))
        archive.writestr("xl/sharedStrings.xml", f'<sst count="60000">{strings}</sst>')
    buffer.seek(0)
    table = table_read(buffer, size=len(buffer.getvalue()), domain_name="就业", village=False)
    assert table.errors and "分批导入" in table.errors[0].message


def test_a_deep_png_small_as_a_file_is_refused_before_decoding():
    """6,300 × 6,300 16-bit RGBA: under the pixel limit, 300 KB as a file, 320 MB to decode."""
    import struct
    import zlib

    from django.core.exceptions import ValidationError

    from apps.attachments.validators import IMAGES_ONLY, detect_and_validate

    width = height = 6300

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + b"\x00" * (width * 8)
    body = zlib.compress(row * 64, 9)  # the first rows only: the header is what is judged
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 16, 6, 0, 0, 0))
           + chunk(b"IDAT", body) + chunk(b"IEND", b""))
    with pytest.raises(ValidationError, match="memory to open|内存"):
        detect_and_validate(SimpleUploadedFile("deep.png", png, content_type="image/png"), allowed=IMAGES_ONLY)
