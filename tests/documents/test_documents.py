import re
import shutil
import subprocess
import threading

import pytest
from django.db import connection
from django.urls import reverse
from PIL import Image

from apps.documents.models import Document
from apps.documents.services import document_issue, document_render
from tests.example_app.factories import make_world, submit

pytestmark = pytest.mark.django_db

PARAGRAPHS = ["你（单位）提出的申请，申请材料齐全、符合法定形式，决定予以受理。"]


@pytest.fixture
def world(roles):
    return make_world()


@pytest.fixture
def case(world):
    return submit(world)


def issue(case, world):
    return document_issue(kind="example_acceptance_notice", obj=case, department=world["department"],
                          recipient="张三", paragraphs=PARAGRAPHS, items=[{"name": "营业执照", "note": "复印件"}])


def test_numbers_run_per_kind_and_year(case, world):
    first, second = issue(case, world), issue(case, world)
    refusal = document_issue(kind="example_refusal_notice", obj=case, department=world["department"],
                             paragraphs=["理由"])
    year = first.issued_on.year
    assert (first.number, second.number) == (f"盘例受字〔{year}〕1号", f"盘例受字〔{year}〕2号")
    assert refusal.number == f"盘例不受字〔{year}〕1号"
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{12}", first.verification_code)
    assert first.verification_code != second.verification_code


def test_rendered_once_and_downloaded_identically(client, case, world):
    document = issue(case, world)
    document = document_render(document_id=document.pk)
    first_bytes = document.file.open("rb").read()
    assert first_bytes.startswith(b"%PDF")
    document.context["paragraphs"] = ["被篡改的内容"]
    document.save(update_fields=["context"])
    again = document_render(document_id=document.pk)
    assert again.file.open("rb").read() == first_bytes and again.sha256 == document.sha256
    client.force_login(world["applicant"])
    url = reverse("documents:download", args=[document.token])
    one, two = b"".join(client.get(url).streaming_content), b"".join(client.get(url).streaming_content)
    assert one == two == first_bytes


@pytest.mark.parametrize("who, status", [("anonymous", 404), ("applicant", 200), ("clerk", 200), ("head", 200),
                                         ("no_role_staff", 404), ("stranger", 404), ("other_clerk", 404)])
def test_download_only_for_those_who_may_see_the_case(client, case, world, who, status):
    document = issue(case, world)
    if who != "anonymous":
        client.force_login(world[who])
    response = client.get(reverse("documents:download", args=[document.token]))
    assert response.status_code == status
    if status == 404:
        assert b"%PDF" not in response.content


def test_download_urls_carry_a_token_and_the_old_sequential_url_answers_404(client, case, world):
    document, other = issue(case, world), issue(case, world)
    url = reverse("documents:download", args=[document.token])
    assert url == f"/documents/{document.token}/" and document.token.version == 4 and document.token != other.token
    client.force_login(world["applicant"])
    assert client.get(f"/documents/{document.pk}/").status_code == 404
    assert client.get("/documents/not-a-token/").status_code == 404
    assert client.get(reverse("documents:download", args=[document.token])).status_code == 200


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")
def test_pdf_is_a4_with_embedded_cjk_fonts_and_renders_to_png(case, world, tmp_path):
    document = document_render(document_id=issue(case, world).pk)
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(document.file.open("rb").read())
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Serif-CJK-SC" in fonts or "NotoSerifCJK" in fonts
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "受理通知书" in text and document.number in text and document.verification_code in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
    with Image.open(tmp_path / "page.png") as page:
        grey = page.convert("L")
        dark = sum(1 for value in grey.get_flattened_data() if value < 128)
        assert dark > 2000, "the page is (nearly) blank"
        red = sum(1 for r, g, b in page.convert("RGB").get_flattened_data() if r > 150 and g < 80 and b < 80)
        assert red > 500, "the red header is missing"


def test_verify_page_shows_the_document_and_nothing_private(client, case, world):
    document = issue(case, world)
    response = client.get(reverse("documents:verify", args=[document.verification_code.lower()]))
    page = response.content.decode()
    assert response.status_code == 200
    for shown in ("受理通知书", document.number, "盘锦市商务局", document.issued_on.strftime("%Y-%m-%d")):
        assert shown in page
    for hidden in ("张三", world["applicant"].display_name, case.title, case.reference):
        assert hidden not in page


def test_unknown_code_is_a_404_with_an_explanation(client):
    response = client.get(reverse("documents:verify", args=["ABCDEFGHJKMN"]))
    assert response.status_code == 404 and "没有" in response.content.decode()
    response = client.get(reverse("documents:verify_form"), {"code": " abcdefghjkmn "})
    assert response.status_code == 302 and response.url.endswith("/verify/ABCDEFGHJKMN")


@pytest.mark.django_db(transaction=True)
def test_numbers_have_no_gaps_under_concurrency(roles):
    world = make_world()
    case = submit(world)
    errors = []

    def worker():
        try:
            for _ in range(5):
                issue(case, world)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    seqs = sorted(Document.objects.filter(kind="example_acceptance_notice").values_list("seq", flat=True))
    assert seqs == list(range(1, 21))
