"""Review before publishing: the import preview marks each row new / changed / unchanged / retired before anything is
written; the reviewer reads what publishing changes before 发布 or 退回, and comments per entry (through the admin)."""
import pytest
from django.urls import reverse

from apps.disclosure import services
from apps.disclosure.constants import CatalogueStatus
from apps.disclosure.models import Catalogue, CatalogueImport, Entry, EntryComment
from apps.notifications.models import Notification
from apps.workflow.models import TimelineEntry
from tests.disclosure.factories import entry_data, load_world, published, row, submit, upload, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(roles, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    return load_world()


def same_as_entry(n, **kw):
    """A table row holding exactly what ``entry_data(n)`` holds."""
    data = entry_data(n)
    cells = {"l2": data["category_l2"], "content": data["content_elements"], "limit": data["time_limit"], **kw}
    return row(n, **cells)


def test_the_import_preview_marks_each_row_before_anything_is_written(client, world):
    catalogue = published(world, 3)
    client.force_login(world["officer"])
    table = workbook([same_as_entry(1), same_as_entry(2, content="招生政策全文、咨询方式"),
                      row(4, l1="学生资助", l2="资助政策", channels="公示栏、村民微信群", proactive="√", on_request="√")])
    page = client.post(reverse("admin:disclosure_catalogue_import", args=[catalogue.pk]),
                       {"file": upload(table)}).content.decode()
    assert "预览：共3项" in page
    assert "1项新增" in page and "1项修改" in page and "1项未变" in page and "1项将撤除" in page
    assert 'class="plan-same"' in page and 'class="plan-new"' in page
    changed = page[page.index('class="plan-changed"'):]
    changed = changed[:changed.index("</tr>")]
    assert "公开内容(要素)" in changed and "<del>义务教育招生入学政策、招生范围、招生程序</del>" in changed
    assert "<ins>招生政策全文、咨询方式</ins>" in changed
    removed = page[page.index('class="plan-removed"'):]
    assert "招生政策3" in removed[:removed.index("</tr>")]
    # what was read, by column, beside the row it concerns
    new_row = page[page.index('class="plan-new"'):]
    new_row = new_row[:new_row.index("</tr>")]
    assert "“村民微信群”读作“其他：村民微信群”" in new_row and "主动、依申请" in new_row
    # nothing written yet
    assert Entry.objects.filter(catalogue=catalogue, retired_at__isnull=True).count() == 3
    assert Catalogue.objects.get(pk=catalogue.pk).status == CatalogueStatus.PUBLISHED

    record = CatalogueImport.objects.get()
    client.post(reverse("admin:disclosure_catalogue_import_apply", args=[catalogue.pk, record.pk]))
    live = {e.category_l2: e for e in Entry.objects.filter(catalogue=catalogue, retired_at__isnull=True)}
    assert sorted(live) == ["招生政策1", "招生政策2", "资助政策"]
    assert live["招生政策2"].content_elements == "招生政策全文、咨询方式"
    assert live["资助政策"].mode == "both" and live["资助政策"].channels_other == "村民微信群"
    assert Entry.objects.get(catalogue=catalogue, category_l2="招生政策3").retired_at is not None
    last = TimelineEntry.objects.filter(object_id=str(catalogue.pk)).order_by("-id").first()
    assert "新增1项，修改1项，撤除1项" in last.comment


def submitted_with_changes(world):
    catalogue = published(world, 3)
    officer = world["officer"]
    first, second, third = Entry.objects.filter(catalogue=catalogue).order_by("position")
    services.entry_save(actor=officer, catalogue=catalogue, entry=second, data={"time_limit": "每年3月31日前"})
    services.entry_retire(actor=officer, entry=third, reason="已合并")
    services.entry_save(actor=officer, catalogue=catalogue, data=entry_data(7, category_l2="新增事项"))
    catalogue = submit(actor=officer, catalogue=Catalogue.objects.get(pk=catalogue.pk))
    return catalogue, first, second


def test_the_reviewer_reads_what_publishing_changes_before_deciding(client, world):
    catalogue, _first, second = submitted_with_changes(world)
    client.force_login(world["reviewer"])
    for url in (reverse("admin:disclosure_catalogue_transition", args=[catalogue.pk, "publish"]),
                reverse("admin:disclosure_catalogue_transition", args=[catalogue.pk, "return"]),
                reverse("admin:disclosure_catalogue_change", args=[catalogue.pk])):
        page = client.get(url).content.decode()
        assert "已发布的第1版" in page, url
        assert "新增 · 1" in page and "新增事项" in page, url
        assert "撤除 · 1" in page and "招生政策3" in page, url
        assert "修改 · 1" in page and "<del>信息形成或者变更之日起20个工作日内</del>" in page, url
        assert "<ins>每年3月31日前</ins>" in page, url
    # still nothing public changed
    assert Catalogue.objects.get(pk=catalogue.pk).current_version.number == 1


def test_the_reviewer_comments_per_entry_and_the_agency_reads_it_with_the_return(client, world):
    catalogue, first, second = submitted_with_changes(world)
    client.force_login(world["reviewer"])
    url = reverse("admin:disclosure_catalogue_comment", args=[catalogue.pk, second.pk])
    form = client.get(url).content.decode()
    assert "<del>信息形成或者变更之日起20个工作日内</del>" in form and "取消" in form
    empty = client.post(url, {"text": "  "}).content.decode()
    assert "该字段是必填项" in empty and "请更正下面的错误" in empty
    response = client.post(url, {"text": "时限请写明依据条款"})
    assert response.status_code == 302
    client.post(reverse("admin:disclosure_catalogue_comment", args=[catalogue.pk, first.pk]), {"text": "电话请核实"})
    page = client.get(reverse("admin:disclosure_catalogue_change", args=[catalogue.pk])).content.decode()
    assert page.count('class="entry-comment"') == 2
    assert "时限请写明依据条款" in page and "电话请核实" in page
    client.post(reverse("admin:disclosure_catalogue_transition", args=[catalogue.pk, "return"]),
                {"comment": "请按意见修改", "internal_note": ""})
    assert Catalogue.objects.get(pk=catalogue.pk).status == CatalogueStatus.RETURNED
    message = Notification.objects.filter(recipient=world["officer"]).order_by("-id").first()
    assert "请按意见修改" in message.body and "时限请写明依据条款" in message.body and "电话请核实" in message.body
    # the officer sees the comments beside the entries
    client.force_login(world["officer"])
    page = client.get(reverse("admin:disclosure_catalogue_change", args=[catalogue.pk])).content.decode()
    assert "时限请写明依据条款" in page
    # a returned catalogue is not commented on; a new submission starts a new round
    client.force_login(world["reviewer"])
    assert client.get(url).status_code == 404
    submit(actor=world["officer"], catalogue=Catalogue.objects.get(pk=catalogue.pk))
    page = client.get(reverse("admin:disclosure_catalogue_change", args=[catalogue.pk])).content.decode()
    assert 'class="entry-comment"' not in page  # the timeline keeps the earlier round's comments


@pytest.mark.parametrize("key", ["anonymous", "officer", "other_officer", "county_reviewer", "clerk"])
def test_only_the_reviewing_office_comments(client, world, key):
    catalogue, first, _second = submitted_with_changes(world)
    if key != "anonymous":
        client.force_login(world[key])
    url = reverse("admin:disclosure_catalogue_comment", args=[catalogue.pk, first.pk])
    response = client.post(url, {"text": "意见"})
    assert response.status_code in (302, 404) if key == "anonymous" else response.status_code == 404
    if key == "anonymous":
        assert "/login/" in response["Location"]
    assert not EntryComment.objects.exists()
