"""The back office: a reviewer sees only their department's tasks (admin, API, downloads); the acceptance officer's
queue counts down the 5 working days; opinions, refusals and revocations through the admin."""
import datetime as dt

import pytest
from django.urls import reverse

from apps.documents.models import Document
from apps.honors import selectors, services
from apps.honors.constants import ReviewStatus, ShowcaseStatus, Status
from apps.honors.models import DepartmentReview, FirstRecognition, HonorApplication, Showcase
from apps.workflow.services import transition_perform

from .factories import load_world, pass_all, published, submitted, review_decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    return load_world()


def _review(application, code):
    return next(r for r in selectors.reviews_current(application=application) if r.department.code == code)


def test_agriculture_reviewer_never_sees_the_science_bureaus_tasks(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted(world)
        science = _review(application, "city-science")
        review_decide(actor=world["science"], review=science, decision="pass", opinion="科技局同意")
    science.refresh_from_db()
    agri = _review(application, "city-agriculture")
    client.force_login(world["agri"])
    listing = client.get(reverse("admin:honors_departmentreview_changelist") + "?queue=all").content.decode()
    assert reverse("admin:honors_departmentreview_change", args=[agri.pk]) in listing
    assert reverse("admin:honors_departmentreview_change", args=[science.pk]) not in listing
    for url in (reverse("admin:honors_departmentreview_change", args=[science.pk]),
                reverse("admin:honors_departmentreview_transition", args=[science.pk, "pass"]),
                reverse("documents:download", args=[science.document_id]),
                reverse("api:honor-review-detail", args=[science.pk])):
        assert client.get(url).status_code == 404, url
    api = client.get(reverse("api:honor-review-list")).json()
    assert [row["id"] for row in api["results"]] == [agri.pk]
    # the agriculture page says only that the other department decided, not what it wrote
    page = client.get(reverse("admin:honors_departmentreview_change", args=[agri.pk])).content.decode()
    assert "市科技局" in page and "科技局同意" not in page
    # nor the acceptance queue, nor the science bureau's opinion through the application
    assert client.get(reverse("admin:honors_honorapplication_change", args=[application.pk])).status_code in (403, 404)
    opinion = reverse("honors:opinion", args=[application.pk, science.document_id])
    assert client.get(opinion).status_code == 404
    # the accepting department reads every opinion, and so do the bureau that wrote it and the enterprise
    for reader in (world["officer"], world["science"], world["enterprise"]):
        client.force_login(reader)
        response = client.get(opinion)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf", reader
    client.force_login(world["other_enterprise"])
    assert client.get(opinion).status_code == 404


def test_reviewer_returns_with_items_through_the_admin(client, world, django_capture_on_commit_callbacks):
    application = submitted(world)
    agri = _review(application, "city-agriculture")
    client.force_login(world["agri"])
    url = reverse("admin:honors_departmentreview_transition", args=[agri.pk, "return"])
    response = client.post(url, {"comment": "请修改", "items": "  \n"})
    assert response.status_code == 200 and "请填写需补正的事项" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"comment": "请修改", "items": "证书不清晰\n产品图片太小"})
    assert response.status_code == 302
    agri.refresh_from_db()
    assert agri.status == ReviewStatus.RETURNED and agri.items == ["证书不清晰", "产品图片太小"]
    opinion = Document.objects.get(pk=agri.document_id)
    assert opinion.kind == "honor_review_opinion" and opinion.file  # the PDF was rendered
    assert opinion.context["items"][0]["name"] == "1. 证书不清晰"


def test_acceptance_queue_counts_down_and_refuses_with_reasons(client, world, django_assert_max_num_queries):
    application = pass_all(world, submitted(world))
    client.force_login(world["officer"])
    url = reverse("admin:honors_honorapplication_changelist")
    page = client.get(url).content.decode()
    assert application.reference in page and "剩余 5 " in page
    with django_assert_max_num_queries(20) as one:
        client.get(url)
    from tests.accounts.factories import EnterpriseFactory

    for _ in range(29):
        pass_all(world, submitted(world, enterprise=EnterpriseFactory()))
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url)
    transition = reverse("admin:honors_honorapplication_transition", args=[application.pk, "refuse"])
    response = client.post(transition, {"comment": "", "internal_note": ""})
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == Status.IN_ACCEPTANCE
    assert client.post(transition, {"comment": "产品介绍与证书不符"}).status_code == 302
    application.refresh_from_db()
    assert application.status == Status.REFUSED
    # the buttons that only services may run are not offered
    assert client.get(reverse("admin:honors_honorapplication_transition",
                              args=[application.pk, "reviews_passed"])).status_code == 404


def test_officer_revokes_through_the_admin(client, world):
    application = published(world)
    showcase = Showcase.objects.get(pk=application.showcase_id)
    client.force_login(world["officer"])
    url = reverse("admin:honors_showcase_transition", args=[showcase.pk, "revoke"])
    future = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    response = client.post(url, {"comment": "严重失信", "source": "信用中国", "listed_on": future})
    assert response.status_code == 200 and "列入日期不能晚于今天" in response.content.decode()
    assert client.post(url, {"comment": "严重失信", "source": "信用中国", "listed_on": "2026-01-05"}).status_code == 302
    showcase.refresh_from_db()
    assert showcase.status == ShowcaseStatus.REVOKED
    assert client.get(reverse("honors:showcase", args=[showcase.pk])).status_code == 404


def test_reviewers_cannot_revoke_or_record(client, world):
    application = published(world)
    client.force_login(world["science"])
    assert client.get(reverse("admin:honors_showcase_transition",
                              args=[application.showcase_id, "revoke"])).status_code in (403, 404)
    assert client.get(reverse("admin:honors_firstrecognition_add")).status_code == 403


def test_officer_records_a_first_recognition(client, world):
    client.force_login(world["officer"])
    response = client.post(reverse("admin:honors_firstrecognition_add"), {
        "enterprise_name": "盘锦新认定有限公司", "credit_code": "91211100MA0PJ0013T",
        "category": world["high_tech"].pk, "recognised_on": dt.date.today().isoformat()})
    assert response.status_code == 302
    recognition = FirstRecognition.objects.get()
    assert recognition.deadline.limit == 30 and recognition.recorded_by == world["officer"]
    page = client.get(reverse("admin:honors_firstrecognition_changelist")).content.decode()
    assert "盘锦新认定有限公司" in page


def test_category_mapping_is_editable_by_the_operator(client, world):
    from apps.organizations.models import Department

    category = world["high_tech"]
    client.force_login(world["officer"])
    url = reverse("admin:honors_honorcategory_change", args=[category.pk])
    industry = Department.objects.get(code="city-industry")
    response = client.post(url, {"code": category.code, "name": category.name, "department": industry.pk,
                                 "eligibility": "", "review_limit": 8, "order": 1, "is_active": "on"})
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.department == industry and category.review_limit == 8
    application = submitted(world, categories=[category])
    review = DepartmentReview.objects.get(application=application)
    assert review.department == industry and review.current_deadline.limit == 8
