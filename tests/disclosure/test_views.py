"""The public pages: only published versions, search and filters, exports, bad input answered plainly."""
import csv
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.disclosure import services
from apps.disclosure.models import Entry
from tests.disclosure.factories import catalogue_with_entries, entry_data, load_world, published, submit_and_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(roles):
    return load_world()


def test_a_draft_catalogue_is_not_public(client, world):
    draft = catalogue_with_entries(world, 2)
    assert client.get(reverse("disclosure:catalogue", args=[draft.pk])).status_code == 404
    for fmt in ("xlsx", "csv", "json", "pdf"):
        assert client.get(reverse("disclosure:export", args=[draft.pk, fmt])).status_code == 404
    assert "招生政策1" not in client.get(reverse("disclosure:search"), {"q": "招生"}).content.decode()


def test_catalogue_page_shows_the_published_version_not_the_new_draft(client, world):
    catalogue = published(world, 2)
    entry = Entry.objects.filter(catalogue=catalogue).first()
    services.entry_save(actor=world["officer"], catalogue=catalogue, entry=entry, data={"category_l2": "草稿中的新名称"})
    page = client.get(reverse("disclosure:catalogue", args=[catalogue.pk])).content.decode()
    assert "盘锦市义务教育领域政务公开事项标准目录" in page and "招生政策1" in page
    assert "草稿中的新名称" not in page
    assert 'rowspan="2"' in page  # 一级事项 merged over its two entries, as in the official table


def test_search_finds_entries_by_chinese_words_and_filters(client, world):
    catalogue = published(world, 2)
    services.entry_save(actor=world["officer"], catalogue=catalogue, data=entry_data(
        3, category_l1="学生资助", category_l2="资助名单", content_elements="受资助学生名单", mode="on_request",
        audience="specific_group", audience_group="受资助学生家长", channels="notice_board"))
    submit_and_publish(world, catalogue)
    url = reverse("disclosure:search")
    page = client.get(url, {"q": "资助学生"}).content.decode()
    assert "资助名单" in page and "招生政策1" not in page
    assert "找到1项" in page
    assert "资助名单" not in client.get(url, {"q": "资助", "mode": "proactive"}).content.decode()
    assert "资助名单" in client.get(url, {"mode": "on_request", "audience": "specific_group",
                                          "channel": "notice_board"}).content.decode()
    assert "资助名单" not in client.get(url, {"channel": "website"}).content.decode()
    assert client.get(url, {"mode": "nonsense", "level": "x", "domain": "abc"}).status_code == 200


def test_levels_and_entry_pages(client, world):
    catalogue = published(world, 1)
    assert "义务教育" in client.get(reverse("disclosure:level", args=["city"])).content.decode()
    assert client.get(reverse("disclosure:level", args=["galaxy"])).status_code == 404
    entry = catalogue.current_version.entries.get()
    page = client.get(reverse("disclosure:entry", args=[entry.pk])).content.decode()
    assert "《中华人民共和国义务教育法》" in page and "0427-2826109" in page
    assert client.get(reverse("disclosure:entry", args=[999999])).status_code == 404


def test_exports_in_four_formats(client, world):
    catalogue = published(world, 3)
    xlsx = client.get(reverse("disclosure:export", args=[catalogue.pk, "xlsx"]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in xlsx["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).worksheets[0]
    assert sheet["A2"].value == "序号" and sheet["C6"].value == "招生政策3"
    rows = list(csv.reader(io.StringIO(client.get(reverse("disclosure:export", args=[catalogue.pk, "csv"]))
                                       .content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["序号", "一级事项", "二级事项"] and len(rows) == 4
    data = json.loads(client.get(reverse("disclosure:export", args=[catalogue.pk, "json"])).content)
    assert data["version"] == 1 and data["entries"][0]["channels"] == ["website", "notice_board"]
    pdf = client.get(reverse("disclosure:export", args=[catalogue.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content)[:5] == b"%PDF-"
    assert client.get(reverse("disclosure:export", args=[catalogue.pk, "docx"])).status_code == 404
    assert client.get(reverse("disclosure:export", args=[catalogue.pk, "xlsx"]), {"version": "7"}).status_code == 404


def test_earlier_version_stays_downloadable(client, world):
    catalogue = published(world, 2)
    entry = Entry.objects.filter(catalogue=catalogue).first()
    services.entry_retire(actor=world["officer"], entry=entry, reason="合并")
    submit_and_publish(world, catalogue)
    url = reverse("disclosure:export", args=[catalogue.pk, "json"])
    assert len(json.loads(client.get(url).content)["entries"]) == 1
    assert len(json.loads(client.get(url, {"version": "1"}).content)["entries"]) == 2


def test_page_queries_do_not_grow_with_rows(client, world, django_assert_max_num_queries):
    small = published(world, 1)
    big = published(world, 30, domain=world["other_domain"])
    for catalogue in (small, big):
        with django_assert_max_num_queries(8):
            client.get(reverse("disclosure:catalogue", args=[catalogue.pk]))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("disclosure:search"), {"q": "招生"}).status_code == 200
    with django_assert_max_num_queries(6):
        client.get(reverse("disclosure:export", args=[big.pk, "xlsx"]))


def test_a_long_catalogue_is_paged(client, world, monkeypatch):
    from apps.disclosure import views

    monkeypatch.setattr(views, "CATALOGUE_PAGE_SIZE", 2)
    catalogue = published(world, 5)
    url = reverse("disclosure:catalogue", args=[catalogue.pk])
    first = client.get(url).content.decode()
    assert "招生政策2" in first and "招生政策3" not in first and "1 / 3" in first
    last = client.get(url, {"page": "3"}).content.decode()
    assert "招生政策5" in last and "招生政策1" not in last
    assert "招生政策5" in client.get(url, {"page": "99"}).content.decode()  # past the end: the last page


def test_the_channel_filter_finds_a_code_wherever_it_stands_in_the_list(client, world):
    catalogue = catalogue_with_entries(world, 0)
    for n, channels in enumerate(["notice_board", "notice_board,website", "website,notice_board",
                                  "website,notice_board,print", "website,print"], start=1):
        services.entry_save(actor=world["officer"], catalogue=catalogue, data=entry_data(n, channels=channels))
    submit_and_publish(world, catalogue)
    page = client.get(reverse("disclosure:search"), {"channel": "notice_board"})
    assert page.context["page"].paginator.count == 4
    assert client.get(reverse("disclosure:search"), {"channel": "print"}).context["page"].paginator.count == 2


def test_a_broad_search_counts_up_to_the_cap_and_asks_to_narrow_it(client, world, monkeypatch):
    from apps.core.paging import CappedPaginator

    published(world, 5)
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    response = client.get(reverse("disclosure:search"), {"q": "招生"})
    assert "找到超过3项：请增加关键词或筛选条件缩小范围" in response.content.decode()
    paginator = response.context["page"].paginator
    assert paginator.capped and paginator.num_pages == 1  # 20 per page: the capped three fit on one
    narrow = client.get(reverse("disclosure:search"), {"q": "招生", "mode": "on_request"})
    assert not narrow.context["page"].paginator.capped and narrow.context["page"].paginator.count == 0
