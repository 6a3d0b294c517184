"""村(居)务公开 kept by the village or community committee itself: its officer opens, fills and submits its own
catalogue; the township office reviews and publishes it; nobody else's catalogue is reachable; a public page per
village shows the five affairs."""
import pytest
from django.urls import reverse

from apps.disclosure import services
from apps.disclosure.constants import CatalogueStatus
from apps.disclosure.exceptions import CatalogueLocked
from apps.disclosure.models import Catalogue, Domain, Entry
from apps.notifications.models import Notification
from apps.organizations.constants import AdminLevel, Role
from apps.organizations.models import AdminUnit, Department
from apps.workflow.models import TimelineEntry
from tests.accounts.factories import StaffFactory
from tests.disclosure.factories import entry_data, load_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(roles, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    world = load_world()
    committee = Department.objects.get(code="xinglong-community-committee")
    street = Department.objects.get(code="xinglong-street-office")
    neighbour_unit = AdminUnit.objects.get(code="211103001002")  # 光明社区, same street
    neighbour = Department.objects.create(code="guangming-community-committee", name="光明社区居民委员会",
                                          admin_unit=neighbour_unit)
    world.update({
        "community": AdminUnit.objects.get(code="211103001001"),
        "neighbour_unit": neighbour_unit,
        "committee": committee,
        "street": street,
        "village_officer": StaffFactory(department=committee, roles=[Role.VILLAGE_OFFICER]),
        "neighbour_officer": StaffFactory(department=neighbour, roles=[Role.VILLAGE_OFFICER]),
        "street_reviewer": StaffFactory(department=street, roles=[Role.DISCLOSURE_REVIEWER]),
        "street_officer": StaffFactory(department=street, roles=[Role.DISCLOSURE_OFFICER]),
        "village_domain": Domain.objects.get(code="village-affairs"),
    })
    return world


def test_the_committee_keeps_its_own_catalogue_and_the_street_publishes_it(client, world):
    client.force_login(world["village_officer"])
    add = client.get(reverse("admin:disclosure_catalogue_add")).content.decode()
    assert "村(居)务公开" in add and "义务教育" not in add  # only its own kind of catalogue is offered
    response = client.post(reverse("admin:disclosure_catalogue_add"), {
        "admin_unit": world["community"].pk, "domain": world["village_domain"].pk,
        "department": world["committee"].pk})
    assert response.status_code == 302
    catalogue = Catalogue.objects.get()
    assert catalogue.reviewing_department == world["street"]  # the township office reviews
    for n, group in enumerate(("党务公开", "村(居)务公开", "财务公开", "服务公开", "事务公开"), start=1):
        response = client.post(reverse("admin:disclosure_entry_add") + f"?catalogue={catalogue.pk}", {
            **entry_data(n, category_l1=group, publisher="兴隆社区居民委员会"), "catalogue": catalogue.pk,
            "channels": ["notice_board", "other"], "channels_other": "居民微信群", "position": ""})
        assert response.status_code == 302, response.content.decode()[:3000]
    client.post(reverse("admin:disclosure_catalogue_transition", args=[catalogue.pk, "submit"]),
                {"comment": "", "internal_note": ""})
    assert Catalogue.objects.get(pk=catalogue.pk).status == CatalogueStatus.SUBMITTED
    assert Notification.objects.filter(recipient=world["street_reviewer"]).exists()
    # the city's office does not review a community's catalogue
    client.force_login(world["reviewer"])
    assert client.post(reverse("admin:disclosure_catalogue_transition", args=[catalogue.pk, "publish"]),
                       {"comment": "", "internal_note": ""}).status_code == 404
    client.force_login(world["street_reviewer"])
    client.post(reverse("admin:disclosure_catalogue_transition", args=[catalogue.pk, "publish"]),
                {"comment": "", "internal_note": ""})
    catalogue = Catalogue.objects.get(pk=catalogue.pk)
    assert catalogue.status == CatalogueStatus.PUBLISHED
    assert Notification.objects.filter(recipient=world["village_officer"], title__contains="已发布").exists()
    page = client.get(reverse("disclosure:village", args=[world["community"].code])).content.decode()
    for heading in ("党务公开", "村(居)务公开", "财务公开", "服务公开", "事务公开"):
        assert heading in page
    assert "招生政策3" in page and "兴隆社区居民委员会" in page


def test_a_committee_opens_nothing_but_its_own_village_affairs(world):
    officer = world["village_officer"]
    pilot = world["domain"]
    for unit, domain in ((world["community"], pilot), (world["neighbour_unit"], world["village_domain"]),
                         (AdminUnit.objects.get(code="211103001"), world["village_domain"])):
        with pytest.raises(CatalogueLocked):
            services.catalogue_create(actor=officer, admin_unit=unit, domain=domain, department=world["committee"])
    with pytest.raises(CatalogueLocked):
        services.catalogue_create(actor=officer, admin_unit=world["community"], domain=world["village_domain"],
                                  department=world["street"])
    assert not Catalogue.objects.exists()


def test_another_committee_and_other_agencies_see_nothing_of_it(client, world):
    ours = services.catalogue_create(actor=world["village_officer"], admin_unit=world["community"],
                                     domain=world["village_domain"], department=world["committee"])
    services.entry_save(actor=world["village_officer"], catalogue=ours, data=entry_data(1, category_l1="财务公开"))
    theirs = services.catalogue_create(actor=world["street_officer"], admin_unit=AdminUnit.objects.get(
        code="211103001"), domain=world["other_domain"], department=world["street"])
    entry = Entry.objects.get(catalogue=ours)
    for key in ("neighbour_officer", "officer"):
        client.force_login(world[key])
        for url in (reverse("admin:disclosure_catalogue_change", args=[ours.pk]),
                    reverse("admin:disclosure_entry_change", args=[entry.pk]),
                    reverse("admin:disclosure_catalogue_import", args=[ours.pk])):
            assert client.get(url).status_code == 404, (key, url)
        assert client.post(reverse("admin:disclosure_catalogue_transition", args=[ours.pk, "submit"]),
                           {"comment": ""}).status_code == 404
    # the street office reviews it: its staff read it, but only the committee edits or submits it
    client.force_login(world["street_officer"])
    assert client.get(reverse("admin:disclosure_catalogue_change", args=[ours.pk])).status_code == 200
    assert client.get(reverse("admin:disclosure_catalogue_import", args=[ours.pk])).status_code == 404
    client.post(reverse("admin:disclosure_catalogue_transition", args=[ours.pk, "submit"]), {"comment": ""})
    client.force_login(world["village_officer"])
    listing = client.get(reverse("admin:disclosure_catalogue_changelist")).content.decode()
    assert "兴隆社区" in listing and "兴隆街道社会救助" not in listing
    assert client.get(reverse("admin:disclosure_catalogue_change", args=[theirs.pk])).status_code == 404
    assert Catalogue.objects.get(pk=ours.pk).status == CatalogueStatus.DRAFT
    assert not TimelineEntry.objects.filter(object_id=str(ours.pk), transition="submit").exists()


def test_the_village_page_is_for_villages_with_something_published(client, world):
    assert client.get(reverse("disclosure:village", args=["211103001"])).status_code == 404  # a street
    assert client.get(reverse("disclosure:village", args=["999"])).status_code == 404
    page = client.get(reverse("disclosure:village", args=[world["community"].code])).content.decode()
    assert "尚未发布" in page
    assert AdminUnit.objects.filter(level=AdminLevel.VILLAGE).count() > 1


def test_the_village_page_does_not_grow(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.workflow.services import transition_perform

    officer = world["village_officer"]
    catalogue = services.catalogue_create(actor=officer, admin_unit=world["community"],
                                          domain=world["village_domain"], department=world["committee"])
    services.entry_save(actor=officer, catalogue=catalogue, data=entry_data(1, category_l1="财务公开"))
    catalogue = transition_perform(actor=officer, obj=catalogue, name="submit")
    transition_perform(actor=world["street_reviewer"], obj=catalogue, name="publish")
    url = reverse("disclosure:village", args=[world["community"].code])
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    catalogue = Catalogue.objects.get(pk=catalogue.pk)
    for n in range(2, 31):
        services.entry_save(actor=officer, catalogue=catalogue, data=entry_data(n, category_l1="党务公开"))
    catalogue = transition_perform(actor=officer, obj=Catalogue.objects.get(pk=catalogue.pk), name="submit")
    transition_perform(actor=world["street_reviewer"], obj=catalogue, name="publish")
    with CaptureQueriesContext(connection) as thirty:
        page = client.get(url).content.decode()
    assert "招生政策30" in page and len(thirty) == len(one)
