"""帮办代办 (issue 16): a logged-in person applies for someone else through the public pages — the person found by ID
number and phone or an account opened for them — with the signed authorisation letter (委托书) before submitting;
both follow it."""
import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.applications.constants import AUTHORISATION_PURPOSE, Channel, Status
from apps.applications.models import Application
from apps.attachments.models import Attachment
from apps.documents.models import Document
from apps.notifications.models import Notification
from apps.workflow.models import TimelineEntry
from tests.accounts.factories import CitizenFactory, make_id_number
from tests.workflow.door import outcome, press

from .factories import load_world, pdf

pytestmark = pytest.mark.django_db

PRINCIPAL_ID = make_id_number(901)
PRINCIPAL_PHONE = "13577770001"


@pytest.fixture
def world(db):
    world = load_world()
    world["agent"] = CitizenFactory()
    return world


def start(client, world, **overrides):
    client.force_login(world["agent"])
    data = {"real_name": "赵老汉", "id_number": PRINCIPAL_ID, "phone": PRINCIPAL_PHONE, "relation": "family",
            **overrides}
    return client.post(reverse("applications:apply_as_agent", args=[world["service"].code]), data)


def fill_materials(client, application):
    url = reverse("applications:apply_materials", args=[application.pk])
    for material in application.service.materials.filter(required=True):
        assert client.post(url, {"material": material.pk, "file": pdf(f"{material.name}.pdf")}).status_code == 302


def test_an_agent_applies_for_a_person_without_an_account_and_both_follow_it(client, world):
    # The way in: the service's apply page offers it.
    client.force_login(world["agent"])
    page = client.get(reverse("applications:apply_start", args=[world["service"].code])).content.decode()
    assert reverse("applications:apply_as_agent", args=[world["service"].code]) in page

    response = start(client, world)
    application = Application.objects.get()
    assert response["Location"] == reverse("applications:apply_applicant", args=[application.pk])
    principal = application.applicant
    assert (principal.citizen_profile.id_number, principal.phone, principal.has_usable_password()) == (
        PRINCIPAL_ID, PRINCIPAL_PHONE, False)
    assert (application.agent, application.entered_by, application.channel, application.agent_relation) == (
        world["agent"], world["agent"], Channel.ASSISTED, "family")
    assert (application.applicant_name, application.phone) == ("赵老汉", PRINCIPAL_PHONE)
    fill_materials(client, application)

    # Consent first: without the 委托书 the submission is refused and nothing is filed.
    review = reverse("applications:apply_review", args=[application.pk])
    assert "委托书" in client.get(review).content.decode()
    response = client.post(review, {"declaration": "on"})
    application.refresh_from_db()
    assert response.status_code == 200 and "委托书" in response.content.decode()
    assert application.status == Status.DRAFT and not application.reference
    assert not Document.objects.exists() and not TimelineEntry.objects.filter(transition="submit").exists()

    materials = reverse("applications:apply_materials", args=[application.pk])
    assert client.post(materials, {"material": AUTHORISATION_PURPOSE, "file": pdf("委托书.pdf")}).status_code == 302
    assert Attachment.objects.filter(purpose=AUTHORISATION_PURPOSE, object_id=str(application.pk)).count() == 1
    assert client.post(review, {"declaration": "on"}).status_code == 302
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED

    # Both are told; the agent's list shows it as an agent's, with the person's name.
    received = Notification.objects.filter(title__contains=application.reference, recipient__is_staff=False)
    assert set(received.values_list("recipient", flat=True)) == {principal.pk, world["agent"].pk}
    mine = client.get(reverse("applications:mine")).content.decode()
    assert application.reference in mine and "赵老汉" in mine and "代办" in mine
    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 200

    # The department's clerk sees who applied, how, and the 委托书.
    client.force_login(world["clerk"])
    page = client.get(reverse("admin:applications_application_change", args=[application.pk])).content.decode()
    letter = Attachment.objects.get(purpose=AUTHORISATION_PURPOSE)
    assert "帮办代办" in page and str(world["agent"]) in page and "家属" in page
    assert reverse("attachments:download", args=[letter.pk]) in page
    assert outcome(press(client, user=world["clerk"], obj=application, name="accept")) == "done"
    # …and the acceptance reaches both.
    assert set(Notification.objects.filter(title__contains="受理").filter(
        title__contains=application.reference).values_list("recipient", flat=True)) >= {principal.pk,
                                                                                       world["agent"].pk}


def test_an_agent_finds_a_person_with_an_account_by_id_number_and_phone(client, world):
    citizen = world["citizen"]
    start(client, world, id_number=citizen.citizen_profile.id_number, phone=citizen.phone,
          real_name=citizen.citizen_profile.real_name, relation="community_worker")
    application = Application.objects.get()
    assert application.applicant == citizen and application.agent == world["agent"]
    # The person sees it among their own applications.
    client.force_login(citizen)
    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 200
    assert reverse("applications:apply_applicant", args=[application.pk]) in \
        client.get(reverse("applications:mine")).content.decode()


@pytest.mark.parametrize("overrides, says", [
    ({"phone": "13577779999", "id_number": "citizen"}, "另一个手机号"),
    ({"relation": ""}, "关系"),
    ({"id_number": "agent"}, "本人"),
])
def test_a_refused_start_is_clear_and_opens_nothing(client, world, overrides, says):
    citizen = world["citizen"]
    if overrides.get("id_number") == "citizen":
        overrides = {**overrides, "id_number": citizen.citizen_profile.id_number,
                     "real_name": citizen.citizen_profile.real_name}
    if overrides.get("id_number") == "agent":
        agent = world["agent"]
        overrides = {"id_number": agent.citizen_profile.id_number, "phone": agent.phone,
                     "real_name": agent.citizen_profile.real_name}
    users = User.objects.count()
    response = start(client, world, **overrides)
    page = response.content.decode()
    assert response.status_code == 400 and says in page
    assert User.objects.count() == users and not Application.objects.exists()
    assert citizen.phone not in page


@pytest.mark.parametrize("who", ["stranger", "other_clerk"])
def test_a_stranger_sees_nothing_of_an_agents_application(client, world, who):
    start(client, world)
    application = Application.objects.get()
    client.force_login(world[who])
    for name in ("detail", "apply_applicant", "apply_materials", "apply_review"):
        assert client.get(reverse(f"applications:{name}", args=[application.pk])).status_code == 404
    response = client.post(reverse("applications:apply_materials", args=[application.pk]),
                           {"material": AUTHORISATION_PURPOSE, "file": pdf("委托书.pdf")})
    assert response.status_code == 404 and not Attachment.objects.exists()


def test_the_agent_may_withdraw_as_the_owner_may(client, world):
    start(client, world)
    application = Application.objects.get()
    fill_materials(client, application)
    client.post(reverse("applications:apply_materials", args=[application.pk]),
                {"material": AUTHORISATION_PURPOSE, "file": pdf("委托书.pdf")})
    client.post(reverse("applications:apply_review", args=[application.pk]), {"declaration": "on"})
    response = client.post(reverse("applications:withdraw", args=[application.pk]), {"confirm": "withdraw"})
    application.refresh_from_db()
    assert response.status_code == 302 and application.status == Status.WITHDRAWN


def test_the_principal_lookup_is_throttled(client, world, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "agent_principal_user": "2/h"}
    from django.core.cache import cache

    cache.clear()
    for _ in range(2):
        start(client, world, phone="13577779999", id_number=world["citizen"].citizen_profile.id_number,
              real_name=world["citizen"].citizen_profile.real_name)
    assert start(client, world).status_code == 429
    assert not Application.objects.exists()


def test_my_applications_with_agent_rows_does_not_grow_in_queries(client, world, django_assert_max_num_queries):
    from apps.applications import services
    from apps.catalogue.models import ServiceItem

    def as_agent(n, service):
        services.application_start_as_agent(
            agent=world["agent"], service=service, relation="other",
            person=services.Person(id_number=make_id_number(920 + n), real_name="钱某", phone=f"135888{n:05d}"))

    items = [item for item in ServiceItem.objects.order_by("pk") if item.applies_online][:30]
    as_agent(0, items[0])
    client.force_login(world["agent"])
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("applications:mine"))
    for n, service in enumerate(items[1:], start=1):
        as_agent(n, service)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("applications:mine"))
    assert response.content.decode().count("钱某") == len(items) >= 25


def test_an_enterprise_account_is_not_an_agent(client, world):
    from tests.accounts.factories import EnterpriseFactory

    world["agent"] = EnterpriseFactory()
    users = User.objects.count()
    response = start(client, world)
    assert response.status_code == 400 and "个人账户" in response.content.decode()
    assert User.objects.count() == users and not Application.objects.exists()


def test_an_agent_is_never_shown_the_persons_licences_or_email(client, world):
    """Review finding: anyone may type an ID number on the agent's form; what the account holds (its electronic
    licences, 免提交; its e-mail) is not shown to them — the agent uploads the material as on paper."""
    import datetime as dt

    from apps.licences.models import LicenceKind
    from apps.licences.services import LicenceData, licence_issue
    from apps.organizations.constants import Role
    from tests.accounts.factories import StaffFactory

    person = CitizenFactory(phone=PRINCIPAL_PHONE, email="laohan@example.com")
    person.citizen_profile.id_number = PRINCIPAL_ID
    person.citizen_profile.real_name = "赵老汉"
    person.citizen_profile.save()
    kind = LicenceKind.objects.get(code="business-licence")
    registrar = StaffFactory(department=kind.issuing_department, roles=[Role.CLERK])
    licence = licence_issue(actor=registrar, issuing_department=kind.issuing_department,
                            data=LicenceData(kind=kind, number="92211100MA0TEST01X", holder_code=PRINCIPAL_ID,
                                             holder_name="赵老汉", valid_from=dt.date(2020, 1, 1)))
    assert start(client, world).status_code == 302
    application = Application.objects.get(agent=world["agent"])
    assert application.applicant == person and application.email == ""
    for url in (reverse("applications:apply_applicant", args=[application.pk]),
                reverse("applications:apply_materials", args=[application.pk])):
        page = client.get(url).content.decode()
        assert licence.number not in page and "laohan@example.com" not in page
    # The holder themself is offered the licence for the same item (免提交 is the holder's own).
    from apps.applications.selectors import application_materials

    states = application_materials(application=application)
    assert all(state.licence is None for state in states)
