"""综合窗口 (issue 16): a window clerk of the government service centre registers a walk-in person's application in the
admin — the page a person uses (``admin:applications_application_add``), posted — and the department handles it."""
import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.applications.constants import Channel, Status
from apps.applications.models import Application
from apps.attachments.models import Attachment
from apps.documents.models import Document
from apps.organizations.constants import Role
from apps.organizations.models import Department
from tests.accounts.factories import StaffFactory, make_id_number
from tests.workflow.door import outcome, press

from .factories import load_world, pdf, submitted

pytestmark = pytest.mark.django_db

WALK_IN_ID = make_id_number(777)
WALK_IN_PHONE = "13655550001"


@pytest.fixture
def world(db):
    world = load_world()
    centre = Department.objects.get(code="city-service-center")
    world["window_clerk"] = StaffFactory(department=centre, roles=[Role.WINDOW_CLERK])
    world["other_window_clerk"] = StaffFactory(department=centre, roles=[Role.WINDOW_CLERK])
    return world


def intake_url(service=None):
    url = reverse("admin:applications_application_add")
    return f"{url}?service={service.pk}" if service is not None else url


def intake_data(service, **overrides):
    data = {"id_number": WALK_IN_ID, "real_name": "李四", "phone": WALK_IN_PHONE, "address": "兴隆台区一号",
            "description": "开一家小吃店", "declaration": "on"}
    for material in service.materials.filter(required=True):
        data[f"material_{material.pk}"] = pdf(f"{material.name}.pdf")
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def register(client, world, **overrides):
    client.force_login(world["window_clerk"])
    return client.post(intake_url(world["service"]), intake_data(world["service"], **overrides))


def written():
    return (User.objects.count(), Application.objects.count(), Attachment.objects.count(), Document.objects.count())


def test_a_walk_in_person_without_an_account_is_registered_and_the_department_handles_it(client, world):
    client.force_login(world["window_clerk"])
    # The front door: the dashboard links the intake; step 1 chooses the item (any department's).
    assert intake_url() in client.get(reverse("admin:index")).content.decode()
    chooser = client.get(intake_url())
    assert chooser.status_code == 200 and world["other_service"].name in chooser.content.decode()
    page = client.get(intake_url(world["service"])).content.decode()
    for material in world["service"].materials.filter(required=True):
        assert material.name in page

    response = register(client, world)

    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "admin:applications_application_window_receipt", args=[application.pk])
    assert (application.status, application.channel, application.entered_by) == (
        Status.SUBMITTED, Channel.WINDOW, world["window_clerk"])
    assert application.department == world["service"].department and application.reference
    person = application.applicant
    # An offline account: the person's name, ID number and phone, no password until they claim it.
    assert (person.citizen_profile.real_name, person.citizen_profile.id_number, person.phone) == (
        "李四", WALK_IN_ID, WALK_IN_PHONE)
    assert not person.has_usable_password() and not person.is_staff
    assert Attachment.objects.filter(object_id=str(application.pk)).count() == \
        world["service"].materials.filter(required=True).count()
    receipt = Document.objects.get(kind="application_receipt", object_id=str(application.pk))
    # The receipt page: the reference and the receipt to print, and how the person claims the account.
    page = client.get(response["Location"]).content.decode()
    assert application.reference in page and reverse("documents:download", args=[receipt.token]) in page
    assert reverse("accounts:claim") in page
    # The window clerk reads it (read-only): no step to take on it.
    change = client.get(reverse("admin:applications_application_change", args=[application.pk]))
    assert change.status_code == 200 and "/transition/" not in change.content.decode()

    # 后台分类审批: the department's clerk finds it in the queue and accepts it as any application.
    client.force_login(world["clerk"])
    queue = client.get(reverse("admin:applications_application_changelist") + "?queue=to_accept")
    assert application.reference in queue.content.decode()
    page = client.get(reverse("admin:applications_application_change", args=[application.pk])).content.decode()
    assert "政务服务中心窗口" in page and str(world["window_clerk"]) in page  # channel and entered by
    assert outcome(press(client, user=world["clerk"], obj=application, name="accept")) == "done"
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED


def test_the_window_verifies_the_persons_identity_and_their_licences_follow(client, world):
    """ADR 0011: the clerk has the ID card in hand — an account registered online and not verified (its licences
    withheld) is verified by the intake, by this clerk, and holds the licences of its number from then on."""
    import datetime as dt

    from apps.licences.models import LicenceKind
    from apps.licences.services import LicenceData, licence_issue
    from tests.accounts.factories import CitizenFactory

    person = CitizenFactory(identity_verified_at=None, identity_method="")
    profile = person.citizen_profile
    licence = licence_issue(actor=world["clerk"], issuing_department=world["service"].department, data=LicenceData(
        kind=LicenceKind.objects.get(code="business-licence"), number="YZ-W1", holder_code=profile.id_number,
        holder_name=profile.real_name, valid_from=dt.date(2025, 3, 1)))
    assert licence.holder_account is None
    register(client, world, id_number=profile.id_number, phone=person.phone, real_name=profile.real_name)
    person.refresh_from_db()
    licence.refresh_from_db()
    assert (person.identity_method, person.identity_verified_by) == ("window", world["window_clerk"])
    assert licence.holder_account == person


def test_a_person_with_an_account_is_found_by_id_number_and_phone_and_sees_it(client, world):
    citizen = world["citizen"]
    register(client, world, id_number=citizen.citizen_profile.id_number, phone=citizen.phone,
             real_name=citizen.citizen_profile.real_name)
    application = Application.objects.get()
    assert application.applicant == citizen and User.objects.filter(pk=citizen.pk).get().has_usable_password()
    client.force_login(citizen)
    assert application.reference in client.get(reverse("applications:mine")).content.decode()
    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 200


@pytest.mark.parametrize("overrides, field_text", [
    # Another phone than the account's: said plainly, the account's phone never shown.
    ({"phone": "13655559999", "id_number": "citizen"}, "另一个手机号"),
    # The phone of someone else's account, for a new person.
    ({"phone": "citizen"}, "他人账户"),
    ({"declaration": None}, "声明"),
    ({"material_first": None}, "请上传"),
    ({"id_number": "211103198501010000"}, "身份证"),
])
def test_refusals_are_clear_keep_what_was_typed_and_leave_nothing(client, world, overrides, field_text):
    citizen = world["citizen"]
    if overrides.get("id_number") == "citizen":
        overrides = {**overrides, "id_number": citizen.citizen_profile.id_number,
                     "real_name": citizen.citizen_profile.real_name}
    if overrides.get("phone") == "citizen":
        overrides = {**overrides, "phone": citizen.phone}
    if "material_first" in overrides:
        first = world["service"].materials.filter(required=True).order_by("order", "id").first()
        overrides = {f"material_{first.pk}": None}
    before = written()
    response = register(client, world, **overrides)
    page = response.content.decode()
    assert response.status_code == 200 and field_text in page
    assert written() == before
    assert "开一家小吃店" in page  # what was typed stays
    if overrides.get("id_number") == citizen.citizen_profile.id_number:
        assert citizen.phone not in page


@pytest.mark.parametrize("who", [None, "citizen", "clerk", "head", "other_clerk"])
def test_only_a_window_clerk_opens_the_intake(client, world, who):
    client.logout()
    if who:
        client.force_login(world[who])
    before = written()
    assert client.get(intake_url(world["service"])).status_code in (302, 403)
    response = client.post(intake_url(world["service"]), intake_data(world["service"]))
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/login/" in response["Location"]
    assert written() == before


def test_a_window_clerk_sees_what_they_entered_and_nothing_else(client, world):
    client.get(register(client, world)["Location"])  # the receipt page shows (and spends) the success message
    mine = Application.objects.get()
    theirs = submitted(world)  # an online application of the market bureau
    client.force_login(world["other_window_clerk"])
    listing = client.get(reverse("admin:applications_application_changelist") + "?queue=all").content.decode()
    assert mine.reference not in listing and theirs.reference not in listing
    for application in (mine, theirs):
        assert client.get(reverse("admin:applications_application_change", args=[application.pk])).status_code == 404
    client.force_login(world["window_clerk"])
    listing = client.get(reverse("admin:applications_application_changelist") + "?queue=all").content.decode()
    assert mine.reference in listing and theirs.reference not in listing
    assert client.get(reverse("admin:applications_application_change", args=[theirs.pk])).status_code == 404
    # No department step on what they entered, nor on the others'.
    for application in (mine, theirs):
        result = outcome(press(client, user=world["window_clerk"], obj=application, name="accept"))
        assert result in {"hidden", "refused"}
        application.refresh_from_db()
        assert application.status == Status.SUBMITTED


def test_the_window_list_does_not_grow_in_queries(client, world, django_assert_max_num_queries):
    register(client, world)
    client.force_login(world["window_clerk"])
    url = reverse("admin:applications_application_changelist") + "?queue=all"
    with django_assert_max_num_queries(30) as one:
        client.get(url)
    from apps.applications.services import Person, application_window_register

    for n in range(29):
        application_window_register(
            clerk=world["window_clerk"], service=world["service"],
            person=Person(id_number=make_id_number(800 + n), real_name="王五", phone=f"136600{n:05d}"),
            uploads={m.pk: pdf() for m in world["service"].materials.filter(required=True)}, declaration=True)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 30


def test_a_window_clerk_who_also_works_for_a_department_keeps_what_they_registered(client, world):
    """Review finding: with a department role beside the window's, the receipt page answered 404."""
    from django.urls import reverse

    centre = Department.objects.get(code="city-service-center")
    both = StaffFactory(department=centre, roles=[Role.WINDOW_CLERK, Role.CLERK])
    client.force_login(both)
    response = client.post(intake_url(world["service"]), intake_data(world["service"]))
    assert response.status_code == 302
    application = Application.objects.get()
    assert client.get(response["Location"]).status_code == 200
    listing = client.get(reverse("admin:applications_application_changelist") + "?queue=all").content.decode()
    assert application.reference in listing


@pytest.mark.parametrize("value", ["²", "１２", "1e3", "-1"])
def test_a_forged_item_id_on_the_intake_is_a_choice_to_make_again(client, world, value):
    """Review finding: "²".isdigit() is True and the database refused it (500)."""
    client.force_login(world["window_clerk"])
    response = client.get(intake_url() + f"?service={value}")
    assert response.status_code == 200
