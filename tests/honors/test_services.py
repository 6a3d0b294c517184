import datetime as dt

import pytest
from django.utils import timezone

from apps.deadlines.selectors import deadline_for_stage
from apps.documents.models import Document
from apps.honors import selectors, services
from apps.honors.constants import Kind, ReviewStatus, ShowcaseStatus, Stage, Status
from apps.honors.models import (
    ClaimedHonor,
    DepartmentReview,
    Product,
    Showcase,
    ShowcaseVersion,
)
from apps.credit.models import DishonestyRecord
from apps.notifications.models import Notification
from apps.workflow.exceptions import AlreadyHandled, TransitionForbidden, TransitionInvalid
from apps.workflow.models import TimelineEntry
from apps.workflow.selectors import timeline_public
from apps.workflow.services import transition_perform
from apps.workflow.spec import Reason

from .factories import fill, load_world, mp4, pass_all, pdf, png, published, submitted, review_decide, revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return load_world()


def _reviews(application):
    return {r.department.code: r for r in selectors.reviews_current(application=application)}


def test_submit_opens_one_review_per_department_in_parallel(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted(world)
    assert application.status == Status.IN_REVIEW
    assert application.reference.startswith("RY-")
    reviews = _reviews(application)
    assert set(reviews) == {"city-science", "city-agriculture"}
    assert all(r.status == ReviewStatus.PENDING for r in reviews.values())
    # each review task has its own clock, 10 working days by default, and its department's reviewers are told
    for review in reviews.values():
        assert review.current_deadline.limit == 10 and review.due_at is not None
    assert Notification.objects.filter(recipient=world["science"]).exists()
    assert Notification.objects.filter(recipient=world["agri"]).exists()
    assert not Notification.objects.filter(recipient=world["industry"]).exists()


def test_application_moves_on_only_when_every_department_passed(world):
    application = submitted(world)
    reviews = _reviews(application)
    review_decide(actor=world["science"], review=reviews["city-science"], decision="pass", opinion="同意")
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    review_decide(actor=world["agri"], review=reviews["city-agriculture"], decision="pass", opinion="同意")
    application.refresh_from_db()
    assert application.status == Status.IN_ACCEPTANCE
    clock = deadline_for_stage(obj=application, stage=Stage.ACCEPTANCE)
    assert clock.limit == 5 and application.due_at == clock.due_at
    # each opinion is a written PDF document of its department
    opinions = Document.objects.filter(kind="honor_review_opinion")
    assert {d.issuing_department.code for d in opinions} == {"city-science", "city-agriculture"}


def test_acceptance_deadline_is_five_working_days_across_national_day(world, monkeypatch):
    application = submitted(world)
    reviews = _reviews(application)
    review_decide(actor=world["science"], review=reviews["city-science"], decision="pass", opinion="同意")
    reached = timezone.make_aware(dt.datetime(2025, 9, 30, 10, 0))
    monkeypatch.setattr(timezone, "now", lambda: reached)
    review_decide(actor=world["agri"], review=reviews["city-agriculture"], decision="pass", opinion="同意")
    application.refresh_from_db()
    clock = deadline_for_stage(obj=application, stage=Stage.ACCEPTANCE)
    # 10-01..10-08 holidays, 10-11 (Saturday) a make-up working day: 10-09, 10, 11, 13, 14
    assert timezone.localtime(clock.due_at).date() == dt.date(2025, 10, 14)
    assert application.reached_acceptance_at == reached


def test_return_goes_back_to_the_enterprise_and_only_that_department_reviews_again(world):
    application = submitted(world)
    reviews = _reviews(application)
    review_decide(actor=world["agri"], review=reviews["city-agriculture"], decision="return",
                           opinion="请补充", items=["证书扫描件不清晰", "企业概况过长"])
    review_decide(actor=world["science"], review=reviews["city-science"], decision="pass", opinion="同意")
    application.refresh_from_db()
    assert application.status == Status.RETURNED
    public = timeline_public(obj=application)
    assert "证书扫描件不清晰" in public[-1]["comment"]
    services.honor_application_submit(actor=world["enterprise"], application=application, declaration=True)
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    again = DepartmentReview.objects.filter(application=application, round=2)
    assert [r.department.code for r in again] == ["city-agriculture"]
    assert _reviews(application)["city-science"].status == ReviewStatus.PASSED
    review_decide(actor=world["agri"], review=again.get(), decision="pass", opinion="已修改")
    application.refresh_from_db()
    assert application.status == Status.IN_ACCEPTANCE


def test_a_return_needs_its_items_and_a_failure_its_reasons(world):
    application = submitted(world)
    review = _reviews(application)["city-agriculture"]
    with pytest.raises(TransitionInvalid):
        review_decide(actor=world["agri"], review=review, decision="return", opinion="x", items=[" "])
    with pytest.raises(TransitionInvalid):
        review_decide(actor=world["agri"], review=review, decision="fail", opinion="")
    review.refresh_from_db()
    assert review.status == ReviewStatus.PENDING


def test_a_failed_review_rejects_the_application_once_all_decided(world):
    application = submitted(world)
    reviews = _reviews(application)
    review_decide(actor=world["agri"], review=reviews["city-agriculture"], decision="fail",
                           opinion="证书已过期")
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW  # the other department still decides
    review_decide(actor=world["science"], review=reviews["city-science"], decision="pass", opinion="同意")
    application.refresh_from_db()
    assert application.status == Status.REJECTED


def test_accept_publishes_a_version_and_refuse_states_reasons(world):
    application = published(world)
    assert application.status == Status.PUBLISHED
    showcase = Showcase.objects.get(pk=application.showcase_id)
    assert showcase.status == ShowcaseStatus.PUBLISHED and showcase.current_version.number == 1
    assert set(showcase.categories.values_list("code", flat=True)) == {"high-tech", "agri-leading"}
    assert deadline_for_stage(obj=application, stage=Stage.ACCEPTANCE).status == "met"

    other = pass_all(world, submitted(world, enterprise=world["other_enterprise"]))
    with pytest.raises(TransitionInvalid):
        transition_perform(actor=world["officer"], obj=other, name="refuse", comment="")
    other = transition_perform(actor=world["officer"], obj=other, name="refuse", comment="产品图片不清晰")
    assert other.status == Status.REFUSED
    notice = Document.objects.get(kind="honor_refusal_notice")
    assert "产品图片不清晰" in notice.context["paragraphs"]
    assert timeline_public(obj=other)[-1]["comment"] == "产品图片不清晰"
    assert not Showcase.objects.get(pk=other.showcase_id).current_version


@pytest.mark.parametrize("actor_key,allowed", [
    (None, False), ("enterprise", False), ("other_enterprise", False), ("science", False), ("clerk", False),
    ("officer", True),
])
def test_who_may_accept(world, actor_key, allowed):
    from django.contrib.auth.models import AnonymousUser

    application = pass_all(world, submitted(world))
    actor = world[actor_key] if actor_key else AnonymousUser()
    entries = TimelineEntry.objects.count()
    if allowed:
        assert transition_perform(actor=actor, obj=application, name="accept").status == Status.PUBLISHED
        return
    with pytest.raises(TransitionForbidden):
        transition_perform(actor=actor, obj=application, name="accept")
    application.refresh_from_db()
    assert application.status == Status.IN_ACCEPTANCE
    assert TimelineEntry.objects.count() == entries and not ShowcaseVersion.objects.exists()


@pytest.mark.parametrize("actor_key,allowed", [
    ("enterprise", False), ("other_enterprise", False), ("agri", False), ("industry", False), ("officer", False),
    ("science", True),
])
def test_only_the_departments_reviewer_writes_its_opinion(world, actor_key, allowed):
    application = submitted(world)
    review = _reviews(application)["city-science"]
    if allowed:
        review_decide(actor=world[actor_key], review=review, decision="pass", opinion="同意")
        review.refresh_from_db()
        assert review.status == ReviewStatus.PASSED and review.reviewer == world[actor_key]
        return
    with pytest.raises(TransitionForbidden):
        review_decide(actor=world[actor_key], review=review, decision="pass", opinion="同意")
    review.refresh_from_db()
    assert review.status == ReviewStatus.PENDING and not Document.objects.exists()


def test_only_the_owner_submits_and_withdraws(world):
    application = fill(world)
    for actor in (world["other_enterprise"], world["officer"], world["science"]):
        with pytest.raises(TransitionForbidden):
            services.honor_application_submit(actor=actor, application=application, declaration=True)
        with pytest.raises(TransitionForbidden):
            services.product_add(actor=actor, application=application, name="x", images=[png()])
    application = services.honor_application_submit(actor=world["enterprise"], application=application,
                                                     declaration=True)
    with pytest.raises(AlreadyHandled):
        services.honor_application_submit(actor=world["enterprise"], application=application, declaration=True)
    application = transition_perform(actor=world["enterprise"], obj=application, name="withdraw")
    assert application.status == Status.WITHDRAWN
    assert not DepartmentReview.objects.filter(status=ReviewStatus.PENDING).exists()


def test_submit_refuses_without_declaration_or_with_missing_parts(world):
    application = fill(world)
    with pytest.raises(TransitionInvalid, match="真实性声明|authenticity"):
        services.honor_application_submit(actor=world["enterprise"], application=application, declaration=False)
    Product.objects.filter(application=application).delete()
    with pytest.raises(TransitionInvalid) as error:
        services.honor_application_submit(actor=world["enterprise"], application=application, declaration=True)
    assert error.value.field == "missing"
    application.refresh_from_db()
    assert application.status == Status.DRAFT and application.reference is None
    assert not DepartmentReview.objects.exists()


def test_certificate_scan_must_be_pdf_or_image(world):
    application = services.honor_application_start(applicant=world["enterprise"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = SimpleUploadedFile("证书.pdf", b"this is not a pdf at all", content_type="application/pdf")
    with pytest.raises(TransitionInvalid) as error:
        services.honor_claim_add(actor=world["enterprise"], application=application, category=world["high_tech"],
                                 issuer="省科技厅", issuer_level="provincial", issued_on=dt.date(2024, 1, 1),
                                 number="1", scan=text)
    assert error.value.field == "scan" and "证书.pdf" in str(error.value)
    assert not ClaimedHonor.objects.exists()


def test_product_images_only_and_video_size_limited(world, settings):
    settings.HONORS_VIDEO_MAX_BYTES = 4096
    application = services.honor_application_start(applicant=world["enterprise"])
    with pytest.raises(TransitionInvalid) as error:
        services.product_add(actor=world["enterprise"], application=application, name="大米", images=[pdf("图.pdf")])
    assert error.value.field == "images"
    with pytest.raises(TransitionInvalid) as error:
        services.product_add(actor=world["enterprise"], application=application, name="大米", images=[png()],
                             video=mp4(size=8192))
    assert error.value.field == "video"
    assert not Product.objects.exists()  # nothing half-saved
    product = services.product_add(actor=world["enterprise"], application=application, name="大米", images=[png()],
                                   video=mp4(size=2048))
    media = selectors.application_product_media(application=application)[product.pk]
    assert len(media["images"]) == 1 and media["video"].mime == "video/mp4"


def test_sections_are_sanitized(world):
    application = services.honor_application_start(applicant=world["enterprise"])
    services.honor_application_update(
        actor=world["enterprise"], application=application, name="甲", industry="C", district=world["district"],
        contact_phone="", website="", eligibility_confirmed=False,
        profile='<p onclick="steal()">概况<script>alert(1)</script></p><img src=x onerror=alert(2)>'
                '<a href="javascript:alert(3)">链接</a><strong>重点</strong>',
        development="第一行\n第二行 <b>粗</b>", brand="<style>body{}</style>品牌", products_intro="")
    application.refresh_from_db()
    assert application.profile == "<p>概况</p>链接<strong>重点</strong>"
    assert application.development == "<p>第一行</p><p>第二行 <b>粗</b></p>"
    assert application.brand == "<p>品牌</p>"


def test_section_length_is_limited(world):
    application = services.honor_application_start(applicant=world["enterprise"])
    with pytest.raises(TransitionInvalid) as error:
        services.honor_application_update(
            actor=world["enterprise"], application=application, name="甲", industry="C", district=world["district"],
            contact_phone="", website="", eligibility_confirmed=False, profile="字" * 3001, development="",
            brand="", products_intro="")
    assert error.value.field == "profile"


def test_content_update_goes_straight_to_acceptance_and_keeps_the_published_version(world):
    first = published(world)
    update = services.honor_application_start(applicant=world["enterprise"])
    assert update.kind == Kind.UPDATE and update.base_version.application_id == first.pk
    assert update.honors.count() == 2 and update.products.count() == 1  # copied with their files
    services.honor_application_update(
        actor=world["enterprise"], application=update, name=update.name, industry="A", district=world["district"],
        contact_phone="", website="", profile="新的企业概况", development="企业发展历程", brand="品牌建设之路",
        products_intro="", eligibility_confirmed=True)
    update = services.honor_application_submit(actor=world["enterprise"], application=update, declaration=True)
    assert update.status == Status.IN_ACCEPTANCE and not update.reviews.exists()
    assert deadline_for_stage(obj=update, stage=Stage.UPDATE).limit == 15
    showcase = Showcase.objects.get(pk=first.showcase_id)
    assert "企业概况：水稻种植加工" in showcase.current_version.content["profile"]  # the public keeps v1
    transition_perform(actor=world["officer"], obj=update, name="accept")
    showcase.refresh_from_db()
    assert showcase.current_version.number == 2 and "新的企业概况" in showcase.current_version.content["profile"]
    assert list(showcase.versions.values_list("number", flat=True)) == [2, 1]
    assert deadline_for_stage(obj=update, stage=Stage.UPDATE).status == "met"


def test_honor_update_goes_to_the_department_concerned_only(world):
    published(world)
    update = services.honor_application_start(applicant=world["enterprise"])
    services.honor_claim_add(actor=world["enterprise"], application=update, category=world["green_factory"],
                             issuer="辽宁省工业和信息化厅", issuer_level="provincial", issued_on=dt.date(2025, 1, 1),
                             number="G-1", scan=pdf())
    services.honor_application_update(
        actor=world["enterprise"], application=update, name=update.name, industry="A", district=world["district"],
        contact_phone="", website="", profile=update.profile, development=update.development, brand=update.brand,
        products_intro="", eligibility_confirmed=True)
    update = services.honor_application_submit(actor=world["enterprise"], application=update, declaration=True)
    assert update.status == Status.IN_REVIEW
    assert [r.department.code for r in update.reviews.all()] == ["city-industry"]
    # while the department reviews, the officer's list shows the 15 working days running
    assert update.current_deadline.stage == Stage.UPDATE and update.due_at == update.current_deadline.due_at
    review = update.reviews.get()
    review_decide(actor=world["industry"], review=review, decision="return", opinion="请补充",
                           items=["证书不清晰"])
    update.refresh_from_db()
    assert update.status == Status.RETURNED and update.current_deadline.paused_at is not None
    services.honor_application_submit(actor=world["enterprise"], application=update, declaration=True)
    update.refresh_from_db()
    assert update.current_deadline.paused_at is None


def test_revocation_unpublishes_stops_pending_and_keeps_the_reason(world):
    first = published(world)
    update = services.honor_application_start(applicant=world["enterprise"])
    showcase = Showcase.objects.get(pk=first.showcase_id)
    with pytest.raises(TransitionForbidden):
        revoke(actor=world["science"], showcase=showcase, source="信用中国",
                                 listed_on=dt.date(2026, 1, 5), reason="严重失信")
    revoke(actor=world["officer"], showcase=showcase, source="信用中国 严重失信主体名单",
                             listed_on=dt.date(2026, 1, 5), reason="拒不履行法院判决")
    showcase.refresh_from_db()
    assert showcase.status == ShowcaseStatus.REVOKED
    assert not selectors.showcases_published().filter(pk=showcase.pk).exists()
    with pytest.raises(Showcase.DoesNotExist):
        selectors.showcase_get_published(pk=showcase.pk)
    update.refresh_from_db()
    assert update.status == Status.STOPPED
    record = DishonestyRecord.objects.get()
    assert record.source == "信用中国 严重失信主体名单" and record.listed_on == dt.date(2026, 1, 5)
    assert (record.subject_code, record.origin) == (showcase.credit_code, showcase)
    assert "拒不履行法院判决" in timeline_public(obj=showcase)[-1]["comment"]
    assert Document.objects.filter(kind="honor_revocation_notice").exists()
    with pytest.raises(services.HonorError):
        services.honor_application_start(applicant=world["enterprise"])


def test_first_recognition_is_due_within_30_days_and_met_on_publication(world):
    profile = world["enterprise"].enterprise_profile
    recognition = services.first_recognition_record(
        actor=world["officer"], enterprise_name=profile.name, credit_code=profile.credit_code,
        category=world["high_tech"], recognised_on=dt.date(2026, 10, 19))
    # 30 calendar days from the day after recognition: 2026-11-18, a Wednesday
    assert timezone.localtime(recognition.deadline.due_at).date() == dt.date(2026, 11, 18)
    weekend_end = services.first_recognition_record(
        actor=world["officer"], enterprise_name="丙", credit_code="Z", category=world["high_tech"],
        recognised_on=dt.date(2026, 10, 15))  # +30 = Saturday 2026-11-14 → the next working day (民法典 art. 203)
    assert timezone.localtime(weekend_end.deadline.due_at).date() == dt.date(2026, 11, 16)
    assert recognition.deadline.responsible_role == "acceptance_officer"
    assert Notification.objects.filter(recipient=world["enterprise"], body__contains="高新技术企业").exists()
    with pytest.raises(TransitionInvalid):
        services.first_recognition_record(actor=world["officer"], enterprise_name="x", credit_code="y",
                                          category=world["high_tech"],
                                          recognised_on=timezone.localdate() + dt.timedelta(days=1))
    recent = services.first_recognition_record(
        actor=world["officer"], enterprise_name=profile.name, credit_code=profile.credit_code,
        category=world["agri_leading"], recognised_on=timezone.localdate() - dt.timedelta(days=3))
    published(world)
    recognition.refresh_from_db()
    recent.refresh_from_db()
    assert recent.entered_at is not None and recent.deadline.status == "met"
    assert recognition.entered_at is not None and recognition.deadline.status == "missed"  # entered, but late


def test_overdue_first_recognition_notifies_the_acceptance_officers(world):
    from apps.deadlines.tasks import deadlines_sweep

    services.first_recognition_record(actor=world["officer"], enterprise_name="乙公司", credit_code="X",
                                      category=world["high_tech"],
                                      recognised_on=timezone.localdate() - dt.timedelta(days=40))
    deadlines_sweep()
    assert Notification.objects.filter(recipient=world["officer"], body__contains="乙公司").exists()
    assert not Notification.objects.filter(recipient=world["clerk"]).exists()


def test_categories_keep_the_department_chosen_in_the_admin(world):
    from apps.honors.models import HonorCategory
    from apps.organizations.models import Department

    category = world["high_tech"]
    category.department = Department.objects.get(code="city-industry")
    category.save()
    from django.core.management import call_command

    call_command("load_demo", "--reference-only", verbosity=0)
    category.refresh_from_db()
    assert category.department.code == "city-industry"
    assert HonorCategory.objects.count() == 13


ACTORS = (None, "enterprise", "other_enterprise", "science", "agri", "clerk", "officer")


def _state(world, name):
    """An application (or showcase) in the state the transition ``name`` starts from."""
    if name == "resubmit":
        application = submitted(world)
        for review in selectors.reviews_current(application=application):
            reviewer = world["science"] if review.department.code == "city-science" else world["agri"]
            review_decide(actor=reviewer, review=review, decision="return", opinion="改", items=["改"])
        application.refresh_from_db()
        return application
    if name in ("refuse", "withdraw"):
        return pass_all(world, submitted(world))
    if name == "revoke":
        return Showcase.objects.get(pk=published(world).showcase_id)
    raise AssertionError(name)


@pytest.mark.parametrize("name,allowed", [
    ("refuse", {"officer"}), ("withdraw", {"enterprise"}), ("resubmit", {"enterprise"}), ("revoke", {"officer"}),
])
@pytest.mark.parametrize("actor_key", ACTORS)
def test_transition_permissions_by_actor(world, name, allowed, actor_key):
    from django.contrib.auth.models import AnonymousUser

    obj = _state(world, name)
    actor = world[actor_key] if actor_key else AnonymousUser()
    state = obj.status
    entries = TimelineEntry.objects.count()
    params = {"resubmit": services.Declaration(declaration=True), "refuse": Reason(),
              "revoke": services.Revocation(source="信用中国", listed_on=dt.date(2026, 1, 5)), "withdraw": None}[name]
    if actor_key in allowed:
        assert transition_perform(actor=actor, obj=obj, name=name, comment="理由", params=params).status != state
        return
    with pytest.raises(TransitionForbidden):
        transition_perform(actor=actor, obj=obj, name=name, comment="理由", params=params)
    obj.refresh_from_db()
    assert obj.status == state and TimelineEntry.objects.count() == entries
    assert not DishonestyRecord.objects.exists()
