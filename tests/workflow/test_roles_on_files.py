"""Roles on every file and page outside the admin (issue 14): each download and preview URL admits exactly the people
the admin shows that object to — by role as well as by department. Every actor goes through the real URL; a refusal is
a 404 that returns nothing of the file."""
import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from apps.attachments.models import Attachment
from apps.attachments.selectors import attachment_get_for_user
from apps.documents.models import Document
from apps.organizations.constants import Role
from apps.organizations.models import Department
from apps.workflow.selectors import case_can_view
from tests.accounts.factories import CitizenFactory, StaffFactory

pytestmark = pytest.mark.django_db

PDF_MAGIC = b"%PDF"


def _get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _assert_outcome(client, user, url, allowed, marker=PDF_MAGIC):
    response = _get(client, user, url)
    if allowed:
        assert response.status_code == 200, url
        assert _body(response)
    else:
        assert response.status_code == 404, url
        assert marker not in _body(response)


# --- one-window applications: the citizen's materials and notices ----------------------------------------------------

@pytest.fixture
def one_window(db, roles):
    from tests.applications.factories import load_world, submitted

    world = load_world()
    market = world["service"].department
    world["officer"] = StaffFactory(department=market, roles=[Role.ACCEPTANCE_OFFICER])
    world["no_role"] = StaffFactory(department=market)
    world["application"] = submitted(world)
    return world


ONE_WINDOW = [("anonymous", False), ("citizen", True), ("stranger", False), ("other_clerk", False),
              ("other_head", False), ("officer", False), ("no_role", False), ("clerk", True), ("head", True)]


@pytest.mark.parametrize("who, allowed", ONE_WINDOW)
def test_a_citizens_materials_and_notices(client, one_window, who, allowed):
    application = one_window["application"]
    user = None if who == "anonymous" else one_window[who]
    attachment = Attachment.objects.filter(content_type=ContentType.objects.get_for_model(application),
                                           object_id=str(application.pk)).first()
    document = Document.objects.get(object_id=str(application.pk), kind="application_receipt")
    _assert_outcome(client, user, reverse("attachments:download", args=[attachment.pk]), allowed)
    _assert_outcome(client, user, reverse("documents:download", args=[document.token]), allowed)
    # the page and the API answer alike
    page = _get(client, user, reverse("api:application-detail", args=[application.pk]))
    if not allowed and who != "citizen":
        assert page.status_code in (403, 404) and application.reference not in page.content.decode()
    # the selectors say the same as the URLs
    if user is not None:
        assert case_can_view(user=user, obj=application) is allowed
        if not allowed:
            with pytest.raises(Attachment.DoesNotExist):
                attachment_get_for_user(user=user, pk=attachment.pk)


# --- honors: the enterprise's files, the preview and the departments' opinions --------------------------------------

@pytest.fixture
def honors(db, settings, django_capture_on_commit_callbacks):
    from apps.honors import selectors
    from tests.honors.factories import load_world, review_decide, submitted

    settings.LANGUAGE_CODE = "zh-hans"
    world = load_world()
    market = Department.objects.get(code="city-market-regulation")
    world["market_reviewer"] = StaffFactory(department=market, roles=[Role.HONOR_REVIEWER])
    world["no_role"] = StaffFactory(department=market)
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted(world)  # honors of 市科技局 and 市农业农村局
        science = next(r for r in selectors.reviews_current(application=application)
                       if r.department.code == "city-science")
        review_decide(actor=world["science"], review=science, decision="pass", opinion="科技局同意")
    science.refresh_from_db()
    world["application"], world["science_review"] = application, science
    return world


HONOR_FILES = [("anonymous", False), ("enterprise", True), ("other_enterprise", False), ("science", True),
               ("agri", True), ("industry", False), ("market_reviewer", False), ("clerk", False),
               ("no_role", False), ("officer", True)]


@pytest.mark.parametrize("who, allowed", HONOR_FILES)
def test_an_enterprises_certificates_materials_and_preview(client, honors, who, allowed):
    """The reviewing bureaus and the acceptance officer read the whole application in the admin; a clerk or an honor
    reviewer of the accepting bureau (no review of theirs), a bureau with no honor in it, nobody else."""
    application = honors["application"]
    user = None if who == "anonymous" else honors[who]
    licence = Attachment.objects.get(content_type=ContentType.objects.get_for_model(application),
                                     object_id=str(application.pk), purpose="licence")
    _assert_outcome(client, user, reverse("attachments:download", args=[licence.pk]), allowed)
    preview = _get(client, user, reverse("honors:preview", args=[application.pk]))
    if who == "anonymous":
        assert preview.status_code == 302 and "/login/" in preview["Location"]
    else:
        assert preview.status_code == (200 if allowed else 404)
        assert ("企业概况" in preview.content.decode()) is allowed


OPINIONS = [("anonymous", False), ("enterprise", True), ("other_enterprise", False), ("science", True),
            ("agri", False), ("industry", False), ("market_reviewer", False), ("clerk", False), ("no_role", False),
            ("officer", True)]


@pytest.mark.parametrize("who, allowed", OPINIONS)
def test_a_bureaus_written_opinion(client, honors, who, allowed):
    """The enterprise, the acceptance officer and the bureau that wrote it; another reviewing bureau never, nor a clerk
    of the accepting bureau."""
    from apps.honors.selectors import review_opinion_get_for_user

    application, review = honors["application"], honors["science_review"]
    user = None if who == "anonymous" else honors[who]
    url = reverse("honors:opinion", args=[application.pk, review.document.token])
    response = _get(client, user, url)
    if who == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]
    else:
        assert response.status_code == (200 if allowed else 404)
        assert (PDF_MAGIC in _body(response)) is allowed
        if not allowed:
            with pytest.raises(Document.DoesNotExist):
                review_opinion_get_for_user(user=user, application_pk=application.pk,
                                            document_token=review.document.token)
    # the old URL by the document's sequential id answers 404 to everyone
    old = f"/honors/{application.pk}/opinions/{review.document_id}/"
    assert _get(client, user, old).status_code == 404


# --- grid cases: the reporter's photos ----------------------------------------------------------------------------

@pytest.fixture
def grid(db, roles):
    from tests.grid.factories import load_people, load_world, photo_report, png

    world = load_people(load_world())
    handling = Department.objects.get(code="xinglongtai-urban-management")
    world["handling_clerk"] = StaffFactory(department=handling, roles=[Role.CLERK])
    world["stranger"] = CitizenFactory()
    world["case"] = photo_report(world, photos=[png()])
    return world


GRID = [("anonymous", False), ("citizen", True), ("stranger", False), ("other_handler", False),
        ("other_member", False), ("handling_clerk", False), ("dispatcher", True), ("handler", True), ("member", True)]


@pytest.mark.parametrize("who, allowed", GRID)
def test_a_reporters_photos(client, grid, who, allowed):
    case = grid["case"]
    user = None if who == "anonymous" else grid[who]
    photo = Attachment.objects.get(content_type=ContentType.objects.get_for_model(case), object_id=str(case.pk))
    _assert_outcome(client, user, reverse("attachments:download", args=[photo.pk]), allowed, marker=b"\x89PNG")
    if user is not None:
        assert case_can_view(user=user, obj=case) is allowed
