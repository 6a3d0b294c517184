"""The enterprise's pages and the public showcase: what each person sees, bad input answered plainly."""
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.attachments.models import Attachment
from apps.honors import services
from apps.honors.models import ClaimedHonor, HonorApplication, Showcase
from apps.honors.selectors import application_product_media
from tests.accounts.factories import CitizenFactory

from .factories import PDF, fill, load_world, png, published, revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return load_world()


def login(client, user):
    client.force_login(user)
    return client


def test_enterprise_starts_edits_previews_and_submits(client, world):
    login(client, world["enterprise"])
    assert client.get(reverse("honors:mine")).status_code == 200
    response = client.post(reverse("honors:start"))
    application = HonorApplication.objects.get(applicant=world["enterprise"])
    assert response.url == reverse("honors:edit", args=[application.pk])
    page = client.get(response.url).content.decode()
    assert "入选条件" in page and "依法诚信经营" in page
    fill(world)
    preview = client.get(reverse("honors:preview", args=[application.pk])).content.decode()
    assert "企业概况：水稻种植加工" in preview and "盘锦大米" in preview and "预览" in preview
    response = client.post(reverse("honors:submit", args=[application.pk]), {})
    assert response.status_code == 400 and "真实性声明" in response.content.decode()
    response = client.post(reverse("honors:submit", args=[application.pk]), {"declaration": "on"})
    assert response.status_code == 302
    detail = client.get(reverse("honors:detail", args=[application.pk])).content.decode()
    assert "市科技局" in detail and "市农业农村局" in detail and "部门审查中" in detail


def test_main_form_error_keeps_what_was_typed(client, world):
    login(client, world["enterprise"])
    application = services.honor_application_start(applicant=world["enterprise"])
    response = client.post(reverse("honors:edit", args=[application.pk]), {
        "part": "main", "name": "", "industry": "C", "district": world["district"].pk,
        "profile": "我们的企业概况写了很多字", "development": "", "brand": "", "products_intro": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert "我们的企业概况写了很多字" in page and "请填写“企业名称”。" in page


def test_a_scan_that_is_not_a_pdf_or_image_is_refused_with_the_typed_fields_kept(client, world):
    login(client, world["enterprise"])
    application = services.honor_application_start(applicant=world["enterprise"])
    fake = SimpleUploadedFile("证书.pdf", b"MZ\x90\x00 not a document", content_type="application/pdf")
    response = client.post(reverse("honors:edit", args=[application.pk]), {
        "part": "honor", "honor-category": world["high_tech"].pk, "honor-issuer": "辽宁省科学技术厅",
        "honor-issuer_level": "provincial", "honor-issued_on": "2024-05-01", "honor-number": "GR2024001",
        "honor-scan": fake})
    page = response.content.decode()
    assert response.status_code == 400
    assert "不是PDF、JPEG、PNG或OFD文件" in page
    assert "辽宁省科学技术厅" in page and "GR2024001" in page
    assert not ClaimedHonor.objects.exists()


def test_a_video_over_the_limit_is_refused(client, world, settings):
    settings.HONORS_VIDEO_MAX_BYTES = 1024
    login(client, world["enterprise"])
    application = services.honor_application_start(applicant=world["enterprise"])
    video = SimpleUploadedFile("intro.mp4", b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 4000)
    response = client.post(reverse("honors:edit", args=[application.pk]), {
        "part": "product", "product-name": "蟹田米", "product-description": "产品描述留着", "product-images": [png()],
        "product-video": video})
    page = response.content.decode()
    assert response.status_code == 400 and "intro.mp4" in page and "最大1.0\xa0KB" in page
    assert "产品描述留着" in page and not application.products.exists()


def test_another_enterprises_application_is_404(client, world):
    application = fill(world)
    login(client, world["other_enterprise"])
    for name in ("edit", "preview", "submit", "detail"):
        assert client.get(reverse(f"honors:{name}", args=[application.pk])).status_code == 404
    assert client.post(reverse("honors:withdraw", args=[application.pk])).status_code == 404
    scan = ClaimedHonor.objects.filter(application=application).first().scan
    assert client.get(reverse("attachments:download", args=[scan.pk])).status_code == 404


def test_a_citizen_cannot_apply(client, world):
    login(client, CitizenFactory())
    response = client.post(reverse("honors:start"), follow=True)
    assert "只有企业账号" in response.content.decode()
    assert not HonorApplication.objects.exists()


def test_public_showcase_list_filters_and_page(client, world):
    application = published(world)
    showcase = Showcase.objects.get(pk=application.showcase_id)
    url = reverse("honors:showcase_list")
    assert showcase.name in client.get(url).content.decode()
    assert showcase.name in client.get(url, {"category": "high-tech"}).content.decode()
    assert showcase.name not in client.get(url, {"category": "green-factory"}).content.decode()
    assert showcase.name in client.get(url, {"industry": "A", "district": "211103"}).content.decode()
    assert showcase.name not in client.get(url, {"district": "211104"}).content.decode()
    assert showcase.name in client.get(url, {"q": "盘锦大米"}).content.decode()
    assert showcase.name not in client.get(url, {"q": "石油钻采"}).content.decode()
    assert client.get(url, {"category": "nope", "industry": "ZZ", "page": "x"}).status_code == 200
    page = client.get(reverse("honors:showcase", args=[showcase.pk])).content.decode()
    for text in ("企业概况：水稻种植加工", "企业发展历程", "品牌建设之路", "盘锦大米", "GB/T 1354-2018",
                 "辽宁省科学技术厅", "2024-05-01", "高新技术企业"):
        assert text in page


def test_script_in_showcase_text_stays_inert(client, world):
    application = published(world, profile='<p>概况</p><script>alert("x")</script><img src=x onerror="alert(1)">')
    page = client.get(reverse("honors:showcase", args=[application.showcase_id])).content.decode()
    assert "<p>概况</p>" in page
    assert 'alert("x")' not in page and "onerror" not in page


def test_public_media_serves_product_images_only(client, world):
    application = published(world)
    version = Showcase.objects.get(pk=application.showcase_id).current_version
    image = application_product_media(application=version.application)
    image = next(iter(image.values()))["images"][0]
    response = client.get(reverse("honors:showcase_media", args=[application.showcase_id, image.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    scan = ClaimedHonor.objects.filter(application=application).first().scan
    assert client.get(reverse("honors:showcase_media", args=[application.showcase_id, scan.pk])).status_code == 404
    other = Attachment.objects.exclude(object_id=str(application.pk)).first()
    if other is not None:
        assert client.get(reverse("honors:showcase_media",
                                  args=[application.showcase_id, other.pk])).status_code == 404


def test_unpublished_and_revoked_showcases_are_not_public(client, world):
    draft = fill(world, enterprise=world["other_enterprise"])
    assert client.get(reverse("honors:showcase", args=[draft.showcase_id])).status_code == 404
    application = published(world)
    showcase = Showcase.objects.get(pk=application.showcase_id)
    revoke(actor=world["officer"], showcase=showcase, source="信用中国",
                             listed_on=dt.date(2026, 1, 1), reason="严重失信")
    assert client.get(reverse("honors:showcase", args=[showcase.pk])).status_code == 404
    assert showcase.name not in client.get(reverse("honors:showcase_list")).content.decode()


def test_showcase_list_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    published(world)
    with django_assert_max_num_queries(8) as one:
        client.get(reverse("honors:showcase_list"))
    from tests.accounts.factories import EnterpriseFactory

    for _ in range(29):
        world_enterprise = EnterpriseFactory()
        published(world, enterprise=world_enterprise)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("honors:showcase_list"))


@pytest.mark.parametrize("who", ["enterprise", "other_enterprise"])
def test_withdraw_through_the_page_cancels_the_pending_reviews(client, world, who):
    from apps.honors.constants import ReviewStatus, Status
    from apps.honors.models import DepartmentReview, HonorApplication

    application = services.honor_application_submit(actor=world["enterprise"], application=fill(world),
                                                     declaration=True)
    client.force_login(world[who])
    url = reverse("honors:withdraw", args=[application.pk])
    if who == "enterprise":
        # The button on the detail page leads to a page that asks first; nothing has changed yet.
        asking = client.post(url)
        assert asking.status_code == 200 and "确定撤回申请吗？" in asking.content.decode()
        assert "不，保留申请" in asking.content.decode()
        assert HonorApplication.objects.get(pk=application.pk).status == Status.IN_REVIEW
    response = client.post(url, {"confirm": "withdraw"})
    application = HonorApplication.objects.get(pk=application.pk)
    reviews = DepartmentReview.objects.filter(application=application)
    if who == "other_enterprise":
        assert response.status_code == 404 and application.status == Status.IN_REVIEW
        assert all(r.status == ReviewStatus.PENDING for r in reviews)
        return
    assert response.status_code == 302 and application.status == Status.WITHDRAWN
    assert all(r.status == ReviewStatus.CANCELLED and r.due_at is None for r in reviews)
    assert application.due_at is None


def _main(world, **overrides):
    return {"name": "碱地香米业", "industry": "A", "district": world["district"].pk, "contact_phone": "",
            "website": "", "profile": "企业概况写了很多字", "development": "发展历程写了很多字",
            "brand": "品牌建设写了很多字", "products_intro": "产品展示写了很多字", "eligibility_confirmed": "on",
            **overrides}


def test_adding_an_honor_saves_the_four_sections_as_the_draft(client, world):
    """The reported loss (issue 19): sections filled, then 添加该荣誉 — the sections were gone. Every button of the
    page now saves them first, on the server."""
    login(client, world["enterprise"])
    application = services.honor_application_start(applicant=world["enterprise"])
    response = client.post(reverse("honors:edit", args=[application.pk]), {
        **_main(world), "part": "honor", "honor-category": world["high_tech"].pk,
        "honor-issuer": "辽宁省科学技术厅", "honor-issuer_level": "provincial", "honor-issued_on": "2024-05-01",
        "honor-number": "GR2024001", "honor-scan": SimpleUploadedFile("证书.pdf", PDF)})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.name == "碱地香米业" and application.eligibility_confirmed
    assert "发展历程写了很多字" in application.development and "产品展示写了很多字" in application.products_intro
    assert application.honors.count() == 1
    page = client.get(response.url).content.decode()
    assert "企业信息及四个栏目已保存为草稿" in page and "已添加该荣誉" in page
    # Shown back as typed, not as the <p> the sanitiser wrapped it in.
    assert ">\n发展历程写了很多字</textarea>" in page or ">发展历程写了很多字</textarea>" in page


def test_a_refused_honor_keeps_the_sections_the_other_parts_and_the_scan(client, world):
    login(client, world["enterprise"])
    application = services.honor_application_start(applicant=world["enterprise"])
    response = client.post(reverse("honors:edit", args=[application.pk]), {
        **_main(world), "part": "honor", "honor-category": world["high_tech"].pk,
        "honor-issuer": "辽宁省科学技术厅", "honor-issuer_level": "provincial", "honor-issued_on": "",
        "honor-number": "GR2024001", "honor-scan": SimpleUploadedFile("证书.pdf", PDF),
        "product-name": "还没添加的产品", "product-description": "写了一半的产品说明"})
    page = response.content.decode()
    assert response.status_code == 400 and "<title>错误：" in page
    assert "请填写“颁发日期”。" in page and 'href="#id_honor-issued_on"' in page
    assert "已选：证书.pdf（保留）" in page  # a valid scan is kept with the draft, not asked for again
    assert "GR2024001" in page and "还没添加的产品" in page and "写了一半的产品说明" in page
    application.refresh_from_db()
    assert "品牌建设写了很多字" in application.brand and not application.honors.exists()


def test_an_invalid_section_is_kept_typed_while_the_honor_is_added(client, world):
    login(client, world["enterprise"])
    application = services.honor_application_start(applicant=world["enterprise"])
    response = client.post(reverse("honors:edit", args=[application.pk]), {
        **_main(world, name="", website="不是网址"), "part": "honor", "honor-category": world["high_tech"].pk,
        "honor-issuer": "辽宁省科学技术厅", "honor-issuer_level": "provincial", "honor-issued_on": "2024-05-01",
        "honor-number": "GR2024001", "honor-scan": SimpleUploadedFile("证书.pdf", PDF)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "请填写“企业名称”。" in page and "“网址”请填写网址" in page
    assert "企业概况写了很多字" in page and "不是网址" in page
    assert application.honors.count() == 1


def test_the_submit_page_shows_a_summary_and_what_happens_next(client, world):
    application = fill(world)
    login(client, world["enterprise"])
    page = client.get(reverse("honors:submit", args=[application.pk])).content.decode()
    for words in ("请核对申请内容", "盘锦大米", "NO-0", "企业发展历程", "高新技术企业", "提交后会怎样", "5个工作日内"):
        assert words in page, words
    response = client.post(reverse("honors:submit", args=[application.pk]), {"declaration": "on"})
    page = client.get(response.url).content.decode()
    assert "市场监管局在5个工作日内决定是否受理" in page


def test_a_valid_scan_is_kept_with_the_draft_when_the_honor_is_refused_for_another_reason(client, world):
    """已选：证书.pdf（保留）: the scan need not be chosen again; the next press adds the honor with it."""
    login(client, world["enterprise"])
    application = services.honor_application_start(applicant=world["enterprise"])
    url = reverse("honors:edit", args=[application.pk])
    honor = {"part": "honor", "honor-category": world["high_tech"].pk, "honor-issuer": "辽宁省科学技术厅",
             "honor-issuer_level": "provincial", "honor-number": "GR2024001"}
    response = client.post(url, {**honor, "honor-issued_on": "", "honor-scan": SimpleUploadedFile("证书.pdf", PDF)})
    page = response.content.decode()
    assert response.status_code == 400 and "已选：证书.pdf（保留）" in page
    assert "请重新为" not in page  # nothing to choose again
    kept = Attachment.objects.get(purpose="certificate_pending")
    assert f'value="{kept.pk}"' in page
    # A fresh load still shows it (it is on the server, with the draft).
    assert "已选：证书.pdf（保留）" in client.get(url).content.decode()
    response = client.post(url, {**honor, "honor-issued_on": "2024-05-01", "honor-kept_scan": str(kept.pk)})
    assert response.status_code == 302
    claimed = ClaimedHonor.objects.get(application=application)
    assert claimed.scan_id == kept.pk and claimed.scan.original_name == "证书.pdf"
    assert not Attachment.objects.filter(purpose="certificate_pending").exists()
    assert "已选：" not in client.get(url).content.decode()


def test_another_drafts_kept_scan_cannot_be_claimed(client, world):
    other = services.honor_application_start(applicant=world["other_enterprise"])
    stolen = services.honor_scan_keep(actor=world["other_enterprise"], application=other,
                                      upload=SimpleUploadedFile("别人的证书.pdf", PDF))
    login(client, world["enterprise"])
    application = services.honor_application_start(applicant=world["enterprise"])
    response = client.post(reverse("honors:edit", args=[application.pk]), {
        "part": "honor", "honor-category": world["high_tech"].pk, "honor-issuer": "辽宁省科学技术厅",
        "honor-issuer_level": "provincial", "honor-number": "GR2024001", "honor-issued_on": "2024-05-01",
        "honor-kept_scan": str(stolen.pk)})
    assert response.status_code == 400 and "别人的证书.pdf" not in response.content.decode()
    assert not ClaimedHonor.objects.exists()
    assert Attachment.objects.get(pk=stolen.pk).purpose == "certificate_pending"


def test_an_expired_session_keeps_the_sections_typed(client, world):
    application = services.honor_application_start(applicant=world["enterprise"])
    url = reverse("honors:edit", args=[application.pk])
    response = client.post(url, {**_main(world, profile="会话过期前写的概况"), "part": "main"})
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    login(client, world["enterprise"])
    page = client.get(url).content.decode()
    assert "会话过期前写的概况" in page and "发展历程写了很多字" in page
