"""The back office: an officer works on their agency's catalogues only; the import previews before it writes."""
import pytest
from django.urls import reverse

from apps.disclosure.constants import CatalogueStatus
from apps.disclosure.models import Catalogue, CatalogueImport, Entry
from tests.disclosure.factories import catalogue_with_entries, entry_data, load_world, published, row, upload, workbook

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
