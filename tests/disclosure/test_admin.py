"""The back office: an officer works on their agency's catalogues only; the import previews before it writes; the
transition buttons (the one door, ``transition_perform``) by every kind of actor."""
import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from apps.disclosure.constants import CatalogueStatus
from apps.disclosure.models import Catalogue, CatalogueImport, CatalogueVersion, Entry, PublishedEntry
from apps.notifications.models import Notification
from apps.workflow.constants import EntryKind
from apps.workflow.models import TimelineEntry
from tests.accounts.factories import StaffFactory
from tests.workflow.door import transition_url
from tests.disclosure.factories import (catalogue_with_entries, entry_data, load_world, published, row, submit, upload,
                                        workbook)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(roles, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    return load_world()


def urls_for(catalogue):
    entry = catalogue.entries.first()
    return [
        reverse("admin:disclosure_catalogue_change", args=[catalogue.pk]),
        reverse("admin:disclosure_catalogue_import", args=[catalogue.pk]),
        reverse("admin:disclosure_catalogue_template", args=[catalogue.pk]),
        reverse("admin:disclosure_catalogue_transition", args=[catalogue.pk, "submit"]),
        reverse("admin:disclosure_entry_change", args=[entry.pk]),
        reverse("admin:disclosure_entry_retire", args=[entry.pk]),
    ]


def test_another_agency_gets_404_everywhere(client, world):
    theirs = catalogue_with_entries(world, 1, domain=world["other_domain"], department=world["civil"],
                                    officer=world["other_officer"])
    client.force_login(world["officer"])
    for url in urls_for(theirs):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("admin:disclosure_catalogue_transition", args=[theirs.pk, "submit"]),
                       {"comment": ""}).status_code == 404
    listing = client.get(reverse("admin:disclosure_catalogue_changelist")).content.decode()
    assert "盘锦市社会救助领域" not in listing
    assert Catalogue.objects.get(pk=theirs.pk).status == CatalogueStatus.DRAFT


def test_officer_adds_an_entry_with_checked_fields_and_nothing_lost(client, world):
    catalogue = catalogue_with_entries(world, 0)
    client.force_login(world["officer"])
    url = reverse("admin:disclosure_entry_add") + f"?catalogue={catalogue.pk}"
    form = {**entry_data(1), "catalogue": catalogue.pk, "channels": ["website", "other"], "channels_other": "",
            "enquiry_phone": "电话", "position": ""}
    response = client.post(url, form)
    page = response.content.decode()
    assert response.status_code == 200
    assert "请写明其他渠道" in page and "不是有效的电话号码" in page
    assert "义务教育招生入学政策、招生范围、招生程序" in page  # what was typed is still there
    form.update(channels_other="学校公众号", enquiry_phone="0427-2826109")
    response = client.post(url, form)
    assert response.status_code == 302
    entry = Entry.objects.get(catalogue=catalogue)
    assert entry.channels == "website,other" and entry.channels_other == "学校公众号" and entry.position == 1


def test_the_entry_form_applies_the_rules_of_the_table(client, world):
    """The form reads what is typed as a row of the official table: a village catalogue's 一级事项 is one of the five
    affairs (and sets the entry's group), a formula is refused with the import's words."""
    from apps.disclosure import services
    from apps.disclosure.models import Domain
    from apps.organizations.constants import Role
    from apps.organizations.models import AdminUnit, Department

    office = Department.objects.get(code="xinglong-street-office")
    officer = StaffFactory(department=office, roles=[Role.DISCLOSURE_OFFICER])
    catalogue = services.catalogue_create(actor=officer, admin_unit=AdminUnit.objects.get(code="211103001001"),
                                          domain=Domain.objects.get(code="village-affairs"), department=office)
    client.force_login(officer)
    url = reverse("admin:disclosure_entry_add") + f"?catalogue={catalogue.pk}"
    form = {**entry_data(1), "catalogue": catalogue.pk, "channels": ["notice_board"], "basis": "=SUM(1)"}
    page = client.post(url, form).content.decode()
    assert "须为党务公开、村(居)务公开、财务公开、服务公开、事务公开之一" in page and "不接受公式" in page
    assert not Entry.objects.filter(catalogue=catalogue).exists()
    response = client.post(url, {**form, "category_l1": "财务公开", "basis": "《村民委员会组织法》"})
    assert response.status_code == 302
    assert Entry.objects.get(catalogue=catalogue).affairs_group == "finance"


def test_import_through_the_admin_previews_then_writes(client, world):
    catalogue = catalogue_with_entries(world, 0)
    client.force_login(world["officer"])
    url = reverse("admin:disclosure_catalogue_import", args=[catalogue.pk])
    bad = client.post(url, {"file": upload(workbook([row(1), row(2, phone="待定")]))}).content.decode()
    assert "表格有1处错误" in bad and "咨询电话" in bad and "<td>5</td>" in bad
    assert not CatalogueImport.objects.exists() and not Entry.objects.exists()
    not_xlsx = client.post(url, {"file": upload(b"%PDF-1.4", name="目录.pdf")}).content.decode()
    assert "不是xlsx表格" in not_xlsx
    good = client.post(url, {"file": upload(workbook([row(1), row(2)]))}).content.decode()
    assert "预览：共2项" in good and not Entry.objects.exists()
    record = CatalogueImport.objects.get()
    response = client.post(reverse("admin:disclosure_catalogue_import_apply", args=[catalogue.pk, record.pk]))
    assert response.status_code == 302
    assert Entry.objects.filter(catalogue=catalogue).count() == 2


def test_reviewer_publishes_from_the_admin_and_sees_the_diff(client, world):
    catalogue = catalogue_with_entries(world, 2)
    client.force_login(world["officer"])
    client.post(reverse("admin:disclosure_catalogue_transition", args=[catalogue.pk, "submit"]), {"comment": ""})
    client.force_login(world["reviewer"])
    page = client.get(reverse("admin:disclosure_catalogue_change", args=[catalogue.pk])).content.decode()
    assert "发布" in page and "退回修改" in page
    # the reviewer may read the entries but not change them
    entry = catalogue.entries.first()
    assert client.post(reverse("admin:disclosure_entry_change", args=[entry.pk]),
                       {**entry_data(1), "channels": ["website"]}).status_code == 403
    returned = client.post(reverse("admin:disclosure_catalogue_transition", args=[catalogue.pk, "return"]),
                           {"comment": ""})
    assert "请填写" in returned.content.decode()
    client.post(reverse("admin:disclosure_catalogue_transition", args=[catalogue.pk, "publish"]), {"comment": ""})
    assert Catalogue.objects.get(pk=catalogue.pk).status == CatalogueStatus.PUBLISHED
    diff = client.get(reverse("admin:disclosure_catalogue_version", args=[catalogue.pk, 1])).content.decode()
    assert "招生政策1" in diff and "新增" in diff


def test_changelists_queries_do_not_grow(client, world, django_assert_max_num_queries):
    client.force_login(world["officer"])
    published(world, 1)
    with django_assert_max_num_queries(14):
        client.get(reverse("admin:disclosure_catalogue_changelist"))
    with django_assert_max_num_queries(14):
        client.get(reverse("admin:disclosure_entry_changelist"))
    big = catalogue_with_entries(world, 30, domain=world["other_domain"])
    with django_assert_max_num_queries(14):
        client.get(reverse("admin:disclosure_entry_changelist"))
    with django_assert_max_num_queries(24):
        client.get(reverse("admin:disclosure_catalogue_change", args=[big.pk]))


# ---- the transition buttons, actor by actor ---------------------------------------------------------------------
# Who is refused how: another agency's or another office's catalogue is not found (404, nothing confirmed); someone
# who may see it but not act is told so on the form; an anonymous visitor is sent to the login page.
ACTORS = ["anonymous", "officer", "other_officer", "reviewer", "county_reviewer", "clerk", "superuser"]
NOT_FOUND = {"other_officer", "county_reviewer"}
OFFICER_SIDE = {"officer", "superuser"}  # submit; revise by editing an entry
REVIEWER_SIDE = {"reviewer", "superuser"}  # publish, return


def actor_for(world, key):
    if key == "anonymous":
        return None
    if key == "superuser":
        return StaffFactory(department=None, is_superuser=True)
    return world[key]


def login(client, actor):
    if actor is not None:
        client.force_login(actor)


def timeline(catalogue):
    return TimelineEntry.objects.filter(content_type=ContentType.objects.get_for_model(Catalogue),
                                        object_id=str(catalogue.pk))


def state(catalogue):
    """Everything a transition may write: the status, the timeline, the versions, the public rows, notifications."""
    return {
        "status": Catalogue.objects.get(pk=catalogue.pk).status,
        "timeline": list(timeline(catalogue).values_list("pk", flat=True)),
        "versions": list(CatalogueVersion.objects.filter(catalogue=catalogue).values_list("pk", flat=True)),
        "published": PublishedEntry.objects.filter(catalogue=catalogue).count(),
        "entries": list(Entry.objects.filter(catalogue=catalogue).order_by("pk").values()),
        "notifications": Notification.objects.count(),
    }


def assert_refused(response, key, before, catalogue):
    if key == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    elif key in NOT_FOUND:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert "您无权对该事项执行此操作。" in response.content.decode()
    assert state(catalogue) == before


def assert_one_transition_row(catalogue, before, *, name, actor, comment=""):
    (added,) = timeline(catalogue).exclude(pk__in=before["timeline"])
    assert (added.kind, added.transition, added.actor_id, added.comment) == (
        EntryKind.TRANSITION, name, actor.pk, comment)


@pytest.mark.parametrize("key", ACTORS)
def test_submit_button_by_every_actor(client, world, key):
    catalogue = catalogue_with_entries(world, 2)
    actor = actor_for(world, key)
    login(client, actor)
    before = state(catalogue)
    response = client.post(transition_url(catalogue, "submit"), {"comment": "请审核", "internal_note": ""})
    if key not in OFFICER_SIDE:
        assert_refused(response, key, before, catalogue)
        return
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:disclosure_catalogue_change", args=[catalogue.pk])
    assert Catalogue.objects.get(pk=catalogue.pk).status == CatalogueStatus.SUBMITTED
    assert_one_transition_row(catalogue, before, name="submit", actor=actor, comment="请审核")
    assert not CatalogueVersion.objects.filter(catalogue=catalogue).exists()
    assert Notification.objects.filter(recipient=world["reviewer"], title__contains="待审核").exists()


@pytest.mark.parametrize("key", ACTORS)
def test_publish_button_by_every_actor(client, world, key):
    catalogue = submit(actor=world["officer"], catalogue=catalogue_with_entries(world, 2))
    actor = actor_for(world, key)
    login(client, actor)
    before = state(catalogue)
    response = client.post(transition_url(catalogue, "publish"), {"comment": "", "internal_note": ""})
    if key not in REVIEWER_SIDE:
        assert_refused(response, key, before, catalogue)
        return
    assert response.status_code == 302
    catalogue.refresh_from_db()
    assert catalogue.status == CatalogueStatus.PUBLISHED
    assert_one_transition_row(catalogue, before, name="publish", actor=actor)
    (version,) = CatalogueVersion.objects.filter(catalogue=catalogue)
    assert catalogue.current_version == version and (version.number, version.entry_count) == (1, 2)
    assert version.published_by == actor


@pytest.mark.parametrize("key", ACTORS)
def test_return_button_by_every_actor(client, world, key):
    catalogue = submit(actor=world["officer"], catalogue=catalogue_with_entries(world, 2))
    actor = actor_for(world, key)
    login(client, actor)
    before = state(catalogue)
    response = client.post(transition_url(catalogue, "return"), {"comment": "公开依据请写全称", "internal_note": ""})
    if key not in REVIEWER_SIDE:
        assert_refused(response, key, before, catalogue)
        return
    assert response.status_code == 302
    assert Catalogue.objects.get(pk=catalogue.pk).status == CatalogueStatus.RETURNED
    assert_one_transition_row(catalogue, before, name="return", actor=actor, comment="公开依据请写全称")
    (added,) = timeline(catalogue).exclude(pk__in=before["timeline"])
    assert added.data == {"reason": "公开依据请写全称"}  # the reasons default to the comment
    assert not CatalogueVersion.objects.filter(catalogue=catalogue).exists()
    note = Notification.objects.get(recipient=world["officer"], title__contains="退回")
    assert "公开依据请写全称" in note.body


def test_return_without_reasons_is_explained_on_the_form_and_changes_nothing(client, world):
    catalogue = submit(actor=world["officer"], catalogue=catalogue_with_entries(world, 2))
    client.force_login(world["reviewer"])
    before = state(catalogue)
    response = client.post(transition_url(catalogue, "return"), {"comment": "  ", "internal_note": "再看一下"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "请填写理由。" in page
    assert "再看一下" in page  # what was typed is kept
    assert state(catalogue) == before


@pytest.mark.parametrize("key", ACTORS)
def test_revise_by_editing_an_entry_of_a_published_catalogue_by_every_actor(client, world, key):
    catalogue = published(world, 2)
    entry = Entry.objects.filter(catalogue=catalogue).order_by("position").first()
    actor = actor_for(world, key)
    login(client, actor)
    before = state(catalogue)
    form = {**entry_data(1), "position": entry.position, "channels": ["website", "notice_board"],
            "time_limit": "信息形成之日起10个工作日内"}
    response = client.post(reverse("admin:disclosure_entry_change", args=[entry.pk]), form)
    if key not in OFFICER_SIDE:
        if key in ("reviewer", "clerk"):
            # They may see the catalogue but not change its entries: the entry form refuses the POST outright.
            assert response.status_code == 403
            assert state(catalogue) == before
        else:
            assert_refused(response, key, before, catalogue)
        return
    assert response.status_code == 302
    assert Catalogue.objects.get(pk=catalogue.pk).status == CatalogueStatus.DRAFT
    added = timeline(catalogue).exclude(pk__in=before["timeline"])
    (revision,) = added.filter(kind=EntryKind.TRANSITION)
    assert (revision.transition, revision.actor_id, revision.from_state, revision.to_state) == (
        "revise", actor.pk, CatalogueStatus.PUBLISHED, CatalogueStatus.DRAFT)
    (edit,) = added.filter(kind=EntryKind.EDIT)  # the change itself, field by field
    assert edit.data["changes"]["time_limit"][1] == "信息形成之日起10个工作日内"
    # The public keeps version 1 until the next publication.
    assert list(CatalogueVersion.objects.filter(catalogue=catalogue).values_list("pk", flat=True)) == before["versions"]
    assert PublishedEntry.objects.get(key=entry.key).time_limit == "信息形成或者变更之日起20个工作日内"


def test_an_officer_opens_catalogues_for_their_own_agency_and_unit_only(client, world):
    from apps.disclosure import services
    from apps.disclosure.exceptions import CatalogueLocked
    from apps.organizations.models import AdminUnit

    client.force_login(world["officer"])
    url = reverse("admin:disclosure_catalogue_add")
    # Another agency: refused on the form (the service's rule), nothing created.
    response = client.post(url, {"admin_unit": world["city"].pk, "domain": world["domain"].pk,
                                 "department": world["civil"].pk})
    assert response.status_code == 200 and not Catalogue.objects.exists()
    # The service refuses it too, whoever calls it.
    with pytest.raises(CatalogueLocked):
        services.catalogue_create(actor=world["officer"], admin_unit=world["city"], domain=world["domain"],
                                  department=world["civil"])
    district = AdminUnit.objects.filter(level="county").first()
    with pytest.raises(CatalogueLocked):
        services.catalogue_create(actor=world["officer"], admin_unit=district, domain=world["domain"],
                                  department=world["education"])
    assert not Catalogue.objects.exists()
    response = client.post(url, {"admin_unit": world["city"].pk, "domain": world["domain"].pk,
                                 "department": world["education"].pk})
    assert response.status_code == 302 and Catalogue.objects.get().department == world["education"]


def test_each_action_page_says_what_it_will_do(client, world):
    from tests.workflow.door import action_page

    catalogue = catalogue_with_entries(world, 2)
    page = action_page(client, user=world["officer"], obj=catalogue, name="submit")
    assert "申请人" not in page.split('id="content-main"')[1]
    submit(actor=world["officer"], catalogue=catalogue)
    for name in ("publish", "return"):
        page = action_page(client, user=world["reviewer"], obj=catalogue, name=name)
        body = page.split('id="content-main"')[1]
        assert "申请人" not in body and "填报单位" in body  # who reads the opinion: the agency that fills it in
        assert "2" in body.split('id="judged-title"')[1].split("</section>")[0]
    client.force_login(world["reviewer"])
    client.post(transition_url(catalogue, "publish"), {"comment": ""})
    page = action_page(client, user=world["officer"], obj=catalogue, name="revise")
    assert 'name="comment"' not in page  # nobody reads a comment on a revision: the form asks for none


def test_each_role_starts_from_its_own_counts(client, world):
    from tests.workflow.door import assert_counts_match_lists, dashboard

    submit(actor=world["officer"], catalogue=catalogue_with_entries(world, 2))
    catalogue_with_entries(world, 1, domain=world["other_domain"])  # a draft
    reviewer = dashboard(client, user=world["reviewer"])
    assert set(reviewer) == {"disclosure.to_review"} and reviewer["disclosure.to_review"][0] == "1"
    assert_counts_match_lists(client, reviewer)
    # The county's office reviews other catalogues: none for it.
    assert dashboard(client, user=world["county_reviewer"])["disclosure.to_review"][0] == "0"
    officer = dashboard(client, user=world["officer"])
    assert set(officer) == {"disclosure.returned", "disclosure.drafts",
                            "information_requests.to_answer", "information_requests.overdue"}  # also 依申请公开
    assert officer["disclosure.drafts"][0] == "1" and officer["disclosure.returned"][0] == "0"
    assert_counts_match_lists(client, officer)
    assert dashboard(client, user=world["other_officer"])["disclosure.drafts"][0] == "0"
    # 待审核 is a filter of the reviewer's list.
    client.force_login(world["reviewer"])
    page = client.get(reverse("admin:disclosure_catalogue_changelist")).content.decode()
    assert "?queue=to_review" in page
