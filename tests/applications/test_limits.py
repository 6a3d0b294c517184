"""Bounded input on the citizen's pages (issue 14, CONVENTIONS 18): images judged by their pixels before decoding, an
OFD judged by what it expands to, one file per material in a draft (a re-upload replaces and deletes the earlier
file), a quota per case, and nothing unbounded kept in an anonymous session."""
import io
import struct
import zipfile
import zlib

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from apps.attachments.models import Attachment
from tests.applications.factories import PDF, draft_with_materials, load_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(roles, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    return load_world()


def png_header_only_big(width=12000, height=12000) -> bytes:
    """A valid 1-bit greyscale PNG of width × height that is small as a file (its rows are zeros, deflated as a
    stream): decoding it would take width × height bytes."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", data) + chunk(b"IEND", b""))


def ofd_bomb() -> bytes:
    """An OFD (a ZIP holding OFD.xml) with one entry that expands to 200 MB of zeros from a few hundred kilobytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("OFD.xml", "<ofd:OFD/>")
        with archive.open("Doc_0/Res/image.bin", "w", force_zip64=True) as entry:
            block = b"\x00" * (1024 * 1024)
            for _ in range(200):
                entry.write(block)
    return out.getvalue()


def image_memory_mb() -> int:
    """Megabytes of image memory Pillow has handed out in this process so far (with 1 MB blocks, one block is at
    most a megabyte; nothing is cached, so every image allocates its own)."""
    stats = Image.core.get_stats()
    return stats["allocated_blocks"] + stats["reused_blocks"]


@pytest.fixture
def pillow_blocks_of_one_mb():
    size = Image.core.get_block_size()
    Image.core.set_block_size(1024 * 1024)
    yield
    Image.core.set_block_size(size)


def upload_material(client, application, material, upload):
    return client.post(reverse("applications:apply_materials", args=[application.pk]),
                       {"material": material.pk, "file": upload})


def stored_files(settings):
    root = settings.PRIVATE_MEDIA_ROOT
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_an_image_of_144_megapixels_small_as_a_file_is_refused_before_decoding(client, world, settings,
                                                                             pillow_blocks_of_one_mb):
    application = draft_with_materials(world)
    material = application.service.materials.filter(required=True).first()
    content = png_header_only_big()
    assert len(content) < 100 * 1024  # under 100 KB as a file, 144 million pixels as an image
    client.force_login(world["citizen"])
    rows, files, decoded = Attachment.objects.count(), stored_files(settings), image_memory_mb()
    response = upload_material(client, application, material, SimpleUploadedFile("扫描件.png", content))
    page = response.content.decode()
    assert response.status_code == 200
    assert "“扫描件.png”的像素远超上限（图片最多40百万像素，每边最多10000像素）" in page
    assert image_memory_mb() == decoded  # nothing was decoded: Pillow handed out no image memory
    assert Attachment.objects.count() == rows and stored_files(settings) == files


def test_an_image_longer_than_the_limit_on_a_side_is_refused_with_its_size(client, world, settings,
                                                                         pillow_blocks_of_one_mb):
    application = draft_with_materials(world)
    material = application.service.materials.filter(required=True).first()
    client.force_login(world["citizen"])
    rows, files, decoded = Attachment.objects.count(), stored_files(settings), image_memory_mb()
    page = upload_material(client, application, material,
                           SimpleUploadedFile("长图.png", png_header_only_big(12000, 800))).content.decode()
    assert "“长图.png”为12000 × 800像素；图片最多40百万像素，每边最多10000像素。请缩小图片后重新上传。" in page
    assert image_memory_mb() == decoded
    assert Attachment.objects.count() == rows and stored_files(settings) == files


def test_a_large_jpeg_gets_its_thumbnail_without_being_decoded_in_full(client, world, settings,
                                                                       pillow_blocks_of_one_mb):
    application = draft_with_materials(world)
    material = application.service.materials.filter(required=True).first()
    out = io.BytesIO()
    Image.new("L", (8000, 5000), 128).save(out, "JPEG")  # 40 million pixels: at the limit, accepted
    client.force_login(world["citizen"])
    before = image_memory_mb()
    response = upload_material(client, application, material, SimpleUploadedFile("照片.jpg", out.getvalue()))
    assert response.status_code == 302
    attachment = Attachment.objects.filter(purpose=f"material-{material.pk}").get()
    assert attachment.mime == "image/jpeg" and attachment.thumbnail
    with Image.open(attachment.thumbnail.path) as thumb:
        assert max(thumb.size) == 320
    # A full decode takes 40 MB; decoding at 1/8 scale for the thumbnail takes a few.
    assert image_memory_mb() - before < 10


def test_an_ofd_that_would_expand_to_200_mb_is_refused_without_extracting(client, world, settings):
    application = draft_with_materials(world)
    material = application.service.materials.filter(required=True).first()
    content = ofd_bomb()
    assert len(content) < 2 * 1024 * 1024
    client.force_login(world["citizen"])
    rows, files = Attachment.objects.count(), stored_files(settings)
    page = upload_material(client, application, material, SimpleUploadedFile("电子证照.ofd", content)).content.decode()
    assert "“电子证照.ofd”解压后为200.0\xa0MB，最多允许100.0\xa0MB。" in page
    assert Attachment.objects.count() == rows and stored_files(settings) == files


def test_an_ofd_with_too_many_entries_is_refused(client, world, settings):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("OFD.xml", "<ofd:OFD/>")
        for n in range(settings.ARCHIVE_MAX_ENTRIES):
            archive.writestr(f"Doc_0/Pages/Page_{n}/Content.xml", "<ofd:Page/>")
    application = draft_with_materials(world)
    material = application.service.materials.filter(required=True).first()
    client.force_login(world["citizen"])
    rows = Attachment.objects.count()
    page = upload_material(client, application, material, SimpleUploadedFile("证照.ofd", out.getvalue())).content
    assert "“证照.ofd”内含1001个文件，最多允许1000个" in page.decode() and Attachment.objects.count() == rows


def test_a_normal_ofd_is_still_accepted(client, world):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("OFD.xml", "<ofd:OFD/>" * 50)
        archive.writestr("Doc_0/Document.xml", "<ofd:Document>" + "页" * 20000 + "</ofd:Document>")
    application = draft_with_materials(world)
    material = application.service.materials.filter(required=True).first()
    client.force_login(world["citizen"])
    assert upload_material(client, application, material, SimpleUploadedFile("证照.ofd", out.getvalue())).status_code == 302
    assert Attachment.objects.filter(purpose=f"material-{material.pk}", mime="application/ofd").count() == 1


def test_uploading_a_material_again_replaces_the_earlier_file_and_deletes_it(client, world, settings,
                                                                            django_capture_on_commit_callbacks):
    application = draft_with_materials(world)
    material = application.service.materials.filter(required=True).first()
    first = Attachment.objects.get(purpose=f"material-{material.pk}")
    first_path = settings.PRIVATE_MEDIA_ROOT / first.file.name
    assert first_path.exists()
    client.force_login(world["citizen"])
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            response = upload_material(client, application, material,
                                       SimpleUploadedFile(f"第{n}版.pdf", PDF + f"% version {n}\n".encode()))
        assert response.status_code == 302
    kept = Attachment.objects.filter(purpose=f"material-{material.pk}")
    assert [a.original_name for a in kept] == ["第2版.pdf"]
    assert not first_path.exists()
    # One file on disk per material of the draft, nothing left behind by the replaced uploads.
    held = Attachment.objects.filter(object_id=str(application.pk))
    assert len(stored_files(settings)) == held.count()
    page = client.get(reverse("applications:apply_materials", args=[application.pk])).content.decode()
    assert "第2版.pdf" in page and "第0版.pdf" not in page


def test_a_refused_reupload_keeps_the_earlier_file(client, world, settings):
    application = draft_with_materials(world)
    material = application.service.materials.filter(required=True).first()
    first = Attachment.objects.get(purpose=f"material-{material.pk}")
    client.force_login(world["citizen"])
    upload_material(client, application, material, SimpleUploadedFile("x.pdf", b"GIF89a not a pdf"))
    assert Attachment.objects.filter(purpose=f"material-{material.pk}").get() == first
    assert (settings.PRIVATE_MEDIA_ROOT / first.file.name).exists()


def test_a_case_holds_a_bounded_number_and_size_of_files(client, world, settings):
    from apps.applications import services

    application = services.application_start(applicant=world["citizen"], service=world["service"])
    first, second = application.service.materials.filter(required=True).order_by("order", "id")[:2]
    client.force_login(world["citizen"])

    def held():
        return Attachment.objects.filter(object_id=str(application.pk)).count()

    assert upload_material(client, application, first, SimpleUploadedFile("一.pdf", PDF)).status_code == 302
    settings.CASE_MAX_FILES = 1  # full: another material is refused, a replacement is not
    page = upload_material(client, application, second, SimpleUploadedFile("二.pdf", PDF)).content.decode()
    assert "本件已有1个文件，已达到最多可存放的数量。请先删除或替换已有文件。" in page and held() == 1
    assert upload_material(client, application, first, SimpleUploadedFile("换.pdf", PDF)).status_code == 302
    settings.CASE_MAX_FILES = 60
    settings.CASE_MAX_BYTES = len(PDF) + 50
    page = upload_material(client, application, second,
                           SimpleUploadedFile("大.pdf", PDF + b"0" * 100)).content.decode()
    assert "本件的文件合计将超过" in page and held() == 1
    assert [a.original_name for a in Attachment.objects.filter(object_id=str(application.pk))] == ["换.pdf"]


def test_an_anonymous_post_keeps_a_small_form_and_never_a_large_one(client, world):
    import random

    application = draft_with_materials(world)
    url = reverse("applications:apply_applicant", args=[application.pk])
    # 750 KB of text that does not compress (the session is stored compressed), within the form limit.
    rng = random.Random(14)
    text = "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(250_000))
    response = client.post(url, {"phone": "13912345678", "address": "地址", "description": text}, follow=True)
    assert "登录已过期，请重新登录后再填写一次表单。" in response.content.decode()
    assert max((len(s.session_data) for s in Session.objects.all()), default=0) < 4 * 1024
    client.cookies.clear()
    response = client.post(url, {"phone": "13912345678", "address": "新地址100号", "description": "说明文字"})
    assert response.status_code == 302
    assert max(len(s.session_data) for s in Session.objects.all()) < 16 * 1024
    client.force_login(world["citizen"])
    assert "新地址100号" in client.get(url).content.decode()  # a small form is still kept across the login


def test_an_address_keeps_only_so_many_forms_an_hour(client, world, settings):
    """An attacker's pass: 300 anonymous POSTs made 300 session rows. Past the hourly number per address a form is
    not kept (the page asks to fill it in again) and no session is written for it."""
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "kept_form_address": "3/h"}
    application = draft_with_materials(world)
    url = reverse("applications:apply_applicant", args=[application.pk])
    for _ in range(3):
        client.cookies.clear()
        client.post(url, {"phone": "13912345678", "address": "地址", "description": "说明"})
    rows = Session.objects.count()
    client.cookies.clear()
    response = client.post(url, {"phone": "13912345678", "address": "地址", "description": "说明"}, follow=True)
    assert "请重新登录后再填写一次表单" in response.content.decode()
    assert Session.objects.count() <= rows + 1  # at most the message's own session, never the form
    assert sum("kept_form" in s.get_decoded() for s in Session.objects.all()) == 3
