"""The back office: a reviewer sees only their department's tasks (admin, API, downloads); the acceptance officer's
queue counts down the 5 working days; opinions, refusals and revocations through the admin."""
import datetime as dt

import pytest
from django.urls import reverse

from apps.documents.models import Document
from apps.honors import selectors
from apps.honors.constants import ReviewStatus, ShowcaseStatus, Status
from apps.honors.models import DepartmentReview, FirstRecognition, Showcase
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
                reverse("documents:download", args=[science.document.token]),
                reverse("api:honor-review-detail", args=[science.pk])):
        assert client.get(url).status_code == 404, url
    api = client.get(reverse("api:honor-review-list")).json()
    assert [row["id"] for row in api["results"]] == [agri.pk]
    # the agriculture page says only that the other department decided, not what it wrote
    page = client.get(reverse("admin:honors_departmentreview_change", args=[agri.pk])).content.decode()
    assert "市科技局" in page and "科技局同意" not in page
    # nor the acceptance queue, nor the science bureau's opinion through the application
    assert client.get(reverse("admin:honors_honorapplication_change", args=[application.pk])).status_code in (403, 404)
    opinion = reverse("honors:opinion", args=[application.pk, science.document.token])
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


# --- every back-office button through the admin, with every kind of actor ------------------------------------------

from apps.workflow.exceptions import TransitionForbidden  # noqa: E402
from apps.workflow.spec import Reason  # noqa: E402
from tests.workflow.door import history, outcome, press  # noqa: E402

ACTORS = [None, "enterprise", "science", "agri", "industry", "officer", "clerk"]


def _review_pending(world):
    application = submitted(world)
    return _review(application, "city-science")


def _in_acceptance(world):
    return pass_all(world, submitted(world))


def _showcase(world):
    return Showcase.objects.get(pk=published(world).showcase_id)


BUTTONS = {
    # (make the object, transition, the form, who may, the state it leads to)
    "pass": (_review_pending, "pass", {"comment": "同意"}, {"science"}, ReviewStatus.PASSED),
    "return": (_review_pending, "return", {"comment": "请修改", "items": "证书不清晰"}, {"science"},
               ReviewStatus.RETURNED),
    "fail": (_review_pending, "fail", {"comment": "证书不属实"}, {"science"}, ReviewStatus.FAILED),
    "accept": (_in_acceptance, "accept", {}, {"officer"}, Status.PUBLISHED),
    "refuse": (_in_acceptance, "refuse", {"comment": "产品介绍与证书不符"}, {"officer"}, Status.REFUSED),
    "revoke": (_showcase, "revoke", {"comment": "严重失信", "source": "信用中国", "listed_on": "2026-01-05"},
               {"officer"}, ShowcaseStatus.REVOKED),
}


@pytest.mark.parametrize("button", list(BUTTONS))
@pytest.mark.parametrize("who", ACTORS)
def test_who_may_press_each_back_office_button(client, world, button, who):
    make, name, data, allowed, target = BUTTONS[button]
    obj = make(world)
    before_history, documents = history(obj), Document.objects.count()
    result = outcome(press(client, user=world[who] if who else None, obj=obj, name=name, data=data))
    obj.refresh_from_db()
    if who in allowed:
        assert result == "done" and obj.status == target and history(obj)[len(before_history)] == name
        assert Document.objects.count() > documents  # the written opinion, the notice, the revocation notice
        return
    # The enterprise has no back office: the admin sends it to log in. Staff who may see the object but not act get
    # the refusal on the form; the others a 404. Nothing is left behind.
    assert result in ({"login"} if who in (None, "enterprise") else {"hidden", "refused"})
    assert obj.status != target and history(obj) == before_history and Document.objects.count() == documents


def test_a_failure_needs_its_written_opinion(client, world):
    review = _review_pending(world)
    response = press(client, user=world["science"], obj=review, name="fail", data={"internal_note": "电话核实"})
    page = response.content.decode()
    assert outcome(response) == "refused" and "请填写书面审核意见" in page and "电话核实" in page
    review.refresh_from_db()
    assert review.status == ReviewStatus.PENDING and history(review) == []


def test_internal_steps_have_no_door(client, world):
    application = _in_acceptance(world)
    review = DepartmentReview.objects.filter(application=application).first()
    for obj, name in ((application, "reviews_passed"), (application, "stop"), (review, "cancel"),
                      (Showcase.objects.get(pk=application.showcase_id), "publish")):
        assert outcome(press(client, user=world["officer"], obj=obj, name=name)) == "hidden"
    # Called straight, outside the step whose effect runs it, the engine refuses even the officer.
    with pytest.raises(TransitionForbidden):
        transition_perform(actor=world["officer"], obj=application, name="stop", params=Reason(reason="失信"))
    application.refresh_from_db()
    assert application.status == Status.IN_ACCEPTANCE


@pytest.mark.parametrize("button", list(BUTTONS))
def test_each_action_page_says_what_it_will_do(client, world, button):
    from tests.workflow.door import action_page

    make, name, _data, allowed, _target = BUTTONS[button]
    obj = make(world)
    page = action_page(client, user=world[next(iter(allowed))], obj=obj, name=name)
    assert "申请人" not in page.split('id="content-main"')[1]  # an enterprise, not an applicant
    assert "企业" in page
    if button in ("pass", "return", "fail", "accept", "refuse"):
        assert 'id="judged-title"' in page  # the application being judged is on the page
        judged = page.split('id="judged-title"')[1]
        assert 'class="honor-certificates"' in judged  # its honors and certificates, with links to the files


def test_each_role_starts_from_its_own_counts(client, world):
    from tests.workflow.door import assert_counts_match_lists, dashboard

    _in_acceptance(world)
    submitted(world, enterprise=world["other_enterprise"])  # reviews pending at the science and agriculture bureaus
    officer = dashboard(client, user=world["officer"])
    assert set(officer) == {"honors.to_accept"} and officer["honors.to_accept"][0] == "1"
    assert_counts_match_lists(client, officer)
    science = dashboard(client, user=world["science"])
    assert set(science) == {"honors.to_review"} and science["honors.to_review"][0] == "1"
    assert_counts_match_lists(client, science)
    industry = dashboard(client, user=world["industry"])  # claimed no honor of theirs
    assert industry["honors.to_review"][0] == "0"
    assert_counts_match_lists(client, industry)


def test_category_list_names_each_editable_field_and_still_saves(client, world):
    """The categories' list edits department, limit and status in place: each of those inputs is named by its
    column and its row (Django's changelist gives them no <label>; axe label/select-name), and saving still works."""
    import re

    from apps.honors.models import HonorCategory
    from apps.organizations.models import Department

    client.force_login(world["officer"])
    url = reverse("admin:honors_honorcategory_changelist")
    response = client.get(url)
    page = response.content.decode()
    high_tech = world["high_tech"]
    for name, column in (("department", "审查部门"), ("review_limit", "审查时限（工作日）"), ("is_active", "启用")):
        index = next(i for i, form in enumerate(response.context["cl"].formset) if form.instance == high_tech)
        tag = re.search(rf'<(?:select|input)[^>]*name="form-{index}-{name}"[^>]*>', page).group(0)
        assert f'aria-label="{column} · {high_tech.name}"' in tag, tag

    formset = response.context["cl"].formset
    data = {"form-TOTAL_FORMS": str(formset.total_form_count()), "form-INITIAL_FORMS": str(formset.initial_form_count()),
            "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000", "_save": "保存"}
    industry = Department.objects.get(code="city-industry")
    for i, form in enumerate(formset):
        category = form.instance
        data.update({f"form-{i}-id": category.pk, f"form-{i}-department": category.department_id,
                     f"form-{i}-review_limit": category.review_limit})
        if category.is_active:
            data[f"form-{i}-is_active"] = "on"
        if category == high_tech:
            data[f"form-{i}-department"], data[f"form-{i}-review_limit"] = industry.pk, 9
    assert client.post(url, data).status_code == 302
    high_tech = HonorCategory.objects.get(pk=high_tech.pk)
    assert high_tech.department == industry and high_tech.review_limit == 9
