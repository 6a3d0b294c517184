"""The catalogue workflow: who may do what, versions and their diff, retiring, imports that write all or nothing."""
import pytest

from apps.disclosure import services
from apps.disclosure.constants import CatalogueStatus
from apps.disclosure.exceptions import CatalogueLocked, EntryInvalid, ImportInvalid
from apps.disclosure.models import Catalogue, CatalogueVersion, Entry, PublishedEntry
from apps.disclosure.selectors import catalogue_list_for_staff, entries_search, version_diff
from apps.notifications.models import Notification
from apps.workflow.exceptions import AlreadyHandled, TransitionForbidden, TransitionInvalid
from apps.workflow.models import TimelineEntry
from apps.workflow.services import transition_perform
from tests.accounts.factories import CitizenFactory
from tests.disclosure.factories import (catalogue_with_entries, entry_data, load_world, publish, published, return_,
                                        row, submit, submit_and_publish, upload, workbook)

pytestmark = pytest.mark.django_db


def timeline_count(catalogue):
    return TimelineEntry.objects.filter(object_id=str(catalogue.pk)).count()


def test_submit_publish_makes_version_one_public(roles, django_capture_on_commit_callbacks):
    world = load_world()
    catalogue = catalogue_with_entries(world, 3)
    assert not entries_search(q="招生").exists()  # a draft is never public
    catalogue = submit(actor=world["officer"], catalogue=catalogue)
    assert catalogue.status == CatalogueStatus.SUBMITTED
    assert Notification.objects.filter(recipient=world["reviewer"], title__contains="待审核").exists()
    with django_capture_on_commit_callbacks(execute=True):
        catalogue = publish(actor=world["reviewer"], catalogue=catalogue)
    assert catalogue.status == CatalogueStatus.PUBLISHED
    version = CatalogueVersion.objects.get(catalogue=catalogue)
    assert (version.number, version.entry_count, version.published_by) == (1, 3, world["reviewer"])
    assert Catalogue.objects.get(pk=catalogue.pk).current_version == version
    assert entries_search(q="招生").count() == 3
    assert version.pdf.read(5) == b"%PDF-"  # rendered once by the (eager) task after the publication commits
    assert version.xlsx.read(2) == b"PK"
    assert Notification.objects.filter(recipient=world["officer"], title__contains="已发布").exists()


@pytest.mark.parametrize("actor_key", ["other_officer", "reviewer", "county_reviewer", "clerk", "citizen", "anonymous"])
def test_only_the_agency_officer_submits(roles, actor_key):
    world = load_world()
    catalogue = catalogue_with_entries(world, 1)
    actor = {"citizen": CitizenFactory(), "anonymous": None}.get(actor_key) or world.get(actor_key)
    before = timeline_count(catalogue)
    with pytest.raises(TransitionForbidden):
        transition_perform(actor=actor or _anonymous(), obj=catalogue, name="submit")
    assert Catalogue.objects.get(pk=catalogue.pk).status == CatalogueStatus.DRAFT
    assert timeline_count(catalogue) == before


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


@pytest.mark.parametrize("actor_key", ["officer", "other_officer", "county_reviewer", "clerk"])
def test_only_the_reviewing_office_publishes_or_returns(roles, actor_key):
    world = load_world()
    catalogue = submit(actor=world["officer"], catalogue=catalogue_with_entries(world, 1))
    for name in ("publish", "return"):
        with pytest.raises(TransitionForbidden):
            transition_perform(actor=world[actor_key], obj=catalogue, name=name, comment="理由")
    assert not CatalogueVersion.objects.exists()
    assert Catalogue.objects.get(pk=catalogue.pk).status == CatalogueStatus.SUBMITTED


def test_return_needs_reasons_and_reaches_the_officer(roles):
    world = load_world()
    catalogue = submit(actor=world["officer"], catalogue=catalogue_with_entries(world, 1))
    with pytest.raises(TransitionInvalid):
        return_(actor=world["reviewer"], catalogue=catalogue, reason=" ")
    catalogue = return_(actor=world["reviewer"], catalogue=catalogue, reason="公开依据请写全称")
    assert catalogue.status == CatalogueStatus.RETURNED
    note = Notification.objects.get(recipient=world["officer"], title__contains="退回")
    assert "公开依据请写全称" in note.body
    # returned: editable again, and submittable again
    services.entry_save(actor=world["officer"], catalogue=catalogue, data=entry_data(9))
    assert submit(actor=world["officer"], catalogue=catalogue).status == CatalogueStatus.SUBMITTED


def test_empty_catalogue_cannot_be_submitted(roles):
    world = load_world()
    catalogue = catalogue_with_entries(world, 0)
    with pytest.raises(TransitionInvalid):
        submit(actor=world["officer"], catalogue=catalogue)
    assert Catalogue.objects.get(pk=catalogue.pk).status == CatalogueStatus.DRAFT


def test_publishing_twice_is_refused(roles):
    world = load_world()
    catalogue = published(world, 1)
    with pytest.raises(AlreadyHandled):
        publish(actor=world["reviewer"], catalogue=catalogue)
    assert CatalogueVersion.objects.count() == 1


def test_no_edit_while_under_review_and_none_by_another_agency(roles):
    world = load_world()
    catalogue = submit(actor=world["officer"], catalogue=catalogue_with_entries(world, 1))
    entry = Entry.objects.get(catalogue=catalogue)
    with pytest.raises(CatalogueLocked, match="审核中|under review"):
        services.entry_save(actor=world["officer"], catalogue=catalogue, entry=entry, data={"basis": "改"})
    draft = catalogue_with_entries(world, 1, domain=world["other_domain"])
    with pytest.raises(CatalogueLocked):
        services.entry_save(actor=world["other_officer"], catalogue=draft, data=entry_data(2))
    with pytest.raises(CatalogueLocked):
        services.entry_retire(actor=world["other_officer"], entry=draft.entries.get(), reason="不需要")
    assert Entry.objects.get(pk=entry.pk).basis == "《中华人民共和国义务教育法》"
    assert draft.entries.count() == 1


def test_edit_after_publication_opens_a_draft_while_the_public_keeps_version_one(roles):
    world = load_world()
    catalogue = published(world, 3)
    first = Entry.objects.filter(catalogue=catalogue).order_by("position")[0]
    services.entry_save(actor=world["officer"], catalogue=catalogue, entry=first,
                        data={"time_limit": "信息形成之日起10个工作日内"})
    assert Catalogue.objects.get(pk=catalogue.pk).status == CatalogueStatus.DRAFT
    public = PublishedEntry.objects.get(is_current=True, key=first.key)
    assert public.time_limit == "信息形成或者变更之日起20个工作日内"
    edit = TimelineEntry.objects.filter(object_id=str(catalogue.pk), kind="edit").last()
    assert edit.actor == world["officer"] and edit.data["changes"]["time_limit"][1] == "信息形成之日起10个工作日内"


def test_versions_are_kept_and_the_diff_names_added_retired_and_changed(roles):
    world = load_world()
    catalogue = published(world, 3)
    entries = list(Entry.objects.filter(catalogue=catalogue).order_by("position"))
    services.entry_save(actor=world["officer"], catalogue=catalogue, entry=entries[0],
                        data={"enquiry_phone": "12345", "mode": "on_request"})
    services.entry_retire(actor=world["officer"], entry=entries[1], reason="该事项已并入招生政策")
    services.entry_save(actor=world["officer"], catalogue=catalogue, data=entry_data(7, category_l2="入学结果"))
    catalogue = submit_and_publish(world, catalogue)
    v1, v2 = CatalogueVersion.objects.filter(catalogue=catalogue).order_by("number")
    assert (v1.entry_count, v2.entry_count) == (3, 3)
    assert PublishedEntry.objects.filter(version=v1).count() == 3  # version 1 unchanged
    assert not PublishedEntry.objects.filter(version=v1, is_current=True).exists()
    diff = version_diff(old=v1, new=v2)
    assert [e.category_l2 for e in diff["added"]] == ["入学结果"]
    assert [e.category_l2 for e in diff["removed"]] == ["招生政策2"]
    (changed,) = diff["changed"]
    assert {c["field"]: (c["before"], c["after"]) for c in changed["changes"]} == {
        "咨询电话": ("0427-2826109", "12345"), "公开方式": ("主动公开", "依申请公开")}
    retired = Entry.objects.get(pk=entries[1].pk)
    assert retired.retired_reason == "该事项已并入招生政策"
    assert TimelineEntry.objects.filter(object_id=str(catalogue.pk), comment__contains="该事项已并入招生政策").exists()


def test_an_entry_is_checked_as_a_row_of_the_table(roles, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    world = load_world()
    catalogue = catalogue_with_entries(world, 1)
    before = timeline_count(catalogue)
    with pytest.raises(EntryInvalid) as refused:
        services.entry_save(actor=world["officer"], catalogue=catalogue,
                            data=entry_data(2, enquiry_phone="待定", channels="website,other"))
    assert [(e.column, e.field) for e in refused.value.errors] == [
        ("公开渠道和载体", "channels_other"), ("咨询电话", "enquiry_phone")]
    entry = catalogue.entries.get()
    with pytest.raises(EntryInvalid):
        services.entry_save(actor=world["officer"], catalogue=catalogue, entry=entry, data={"basis": "=HYPERLINK(1)"})
    assert catalogue.entries.count() == 1 and catalogue.entries.get().basis == "《中华人民共和国义务教育法》"
    assert timeline_count(catalogue) == before


def test_a_change_of_one_field_keeps_the_others(roles):
    world = load_world()
    catalogue = catalogue_with_entries(world, 0)
    entry = services.entry_save(actor=world["officer"], catalogue=catalogue, data=entry_data(
        1, audience="specific_group", audience_group="低保对象", channels="website,other", channels_other="村民微信群"))
    services.entry_save(actor=world["officer"], catalogue=catalogue, entry=entry, data={"basis": "《社会救助暂行办法》"})
    entry.refresh_from_db()
    assert (entry.basis, entry.audience_group, entry.channels_other) == ("《社会救助暂行办法》", "低保对象", "村民微信群")
    edit = TimelineEntry.objects.filter(object_id=str(catalogue.pk), kind="edit").last()
    assert set(edit.data["changes"]) == {"basis"}


def test_a_village_entry_gets_its_five_affairs_group_from_its_first_level(roles):
    from apps.disclosure.models import Domain
    from apps.organizations.constants import Role
    from apps.organizations.models import AdminUnit, Department
    from tests.accounts.factories import StaffFactory

    load_world()
    office = Department.objects.get(code="xinglong-street-office")
    officer = StaffFactory(department=office, roles=[Role.DISCLOSURE_OFFICER])
    catalogue = services.catalogue_create(actor=officer, admin_unit=AdminUnit.objects.get(code="211103001001"),
                                          domain=Domain.objects.get(code="village-affairs"), department=office)
    entry = services.entry_save(actor=officer, catalogue=catalogue, data=entry_data(1, category_l1="财务公开"))
    assert entry.affairs_group == "finance"
    with pytest.raises(EntryInvalid):
        services.entry_save(actor=officer, catalogue=catalogue, data=entry_data(2))  # 招生入学 is not one of the five
    assert catalogue.entries.count() == 1


def test_retire_needs_a_reason(roles):
    world = load_world()
    catalogue = catalogue_with_entries(world, 1)
    with pytest.raises(CatalogueLocked):
        services.entry_retire(actor=world["officer"], entry=catalogue.entries.get(), reason="  ")
    assert catalogue.entries.get().retired_at is None


def test_import_updates_adds_and_retires_keeping_identities(roles):
    world = load_world()
    catalogue = catalogue_with_entries(world, 2)  # 招生入学 / 招生政策1, 招生政策2
    keep = Entry.objects.get(catalogue=catalogue, category_l2="招生政策1")
    content = workbook([row(1, l2="招生政策1", content="更新后的内容"), row(2, l2="划片范围")])
    record, table = services.catalogue_import_preview(actor=world["officer"], catalogue=catalogue,
                                                      upload=upload(content))
    assert table.ok and record is not None
    assert Entry.objects.get(pk=keep.pk).content_elements != "更新后的内容"  # preview writes nothing
    summary = services.catalogue_import_apply(actor=world["officer"], record=record)
    assert summary == {"added": 1, "updated": 1, "retired": 1}
    assert Entry.objects.get(pk=keep.pk).content_elements == "更新后的内容"
    assert Entry.objects.get(catalogue=catalogue, category_l2="招生政策2").retired_reason.startswith("20")
    with pytest.raises(ImportInvalid):
        services.catalogue_import_apply(actor=world["officer"], record=record)  # not twice


def test_import_with_any_bad_row_writes_nothing(roles):
    world = load_world()
    catalogue = catalogue_with_entries(world, 1)
    before = list(Entry.objects.values_list("pk", "content_elements", "retired_at"))
    content = workbook([row(1, l2="好的一行"), row(2, phone="无")])
    record, table = services.catalogue_import_preview(actor=world["officer"], catalogue=catalogue,
                                                      upload=upload(content))
    assert record is None and len(table.errors) == 1 and len(table.rows) == 1
    assert list(Entry.objects.values_list("pk", "content_elements", "retired_at")) == before


def test_staff_lists_are_scoped(roles):
    world = load_world()
    mine = catalogue_with_entries(world, 1)
    theirs = catalogue_with_entries(world, 1, domain=world["other_domain"], department=world["civil"],
                                    officer=world["other_officer"])
    assert list(catalogue_list_for_staff(user=world["officer"])) == [mine]
    assert list(catalogue_list_for_staff(user=world["other_officer"])) == [theirs]
    assert set(catalogue_list_for_staff(user=world["reviewer"])) == {mine, theirs}
    assert not catalogue_list_for_staff(user=world["county_reviewer"]).exists()
    assert not catalogue_list_for_staff(user=world["clerk"]).filter(pk=theirs.pk).exists()


def test_demo_data_loads_published_catalogues(roles):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    city = Catalogue.objects.filter(admin_unit__level="city", current_version__isnull=False)
    assert city.count() >= 6
    assert PublishedEntry.objects.filter(is_current=True, level="city").count() >= 80
    assert {"county", "township", "village"} <= set(
        Catalogue.objects.filter(current_version__isnull=False).values_list("admin_unit__level", flat=True))
    village = PublishedEntry.objects.filter(level="village")
    assert set(village.values_list("affairs_group", flat=True)) == {"party", "village", "finance", "service", "affairs"}
    call_command("load_demo", verbosity=0)  # idempotent
    assert CatalogueVersion.objects.count() == Catalogue.objects.count()
