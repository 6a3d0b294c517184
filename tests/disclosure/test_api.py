import pytest
from django.urls import reverse

from tests.disclosure.factories import catalogue_with_entries, load_world, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(roles):
    return load_world()


def test_catalogues_list_only_published_with_export_links(client, world):
    catalogue = published(world, 2)
    catalogue_with_entries(world, 1, domain=world["other_domain"])  # a draft
    data = client.get("/api/v1/disclosure/catalogues/").json()
    assert data["count"] == 1
    item = data["results"][0]
    assert item["title"] == "盘锦市义务教育领域政务公开事项标准目录" and item["version"] == 1 and item["entry_count"] == 2
    assert item["exports"]["xlsx"].endswith(reverse("disclosure:export", args=[catalogue.pk, "xlsx"]))
    assert set(item["exports"]) == {"xlsx", "csv", "json", "pdf"}
    assert client.get(item["exports"]["csv"]).status_code == 200
    assert client.get("/api/v1/disclosure/catalogues/", {"domain": "compulsory-education"}).json()["count"] == 1
    assert client.get("/api/v1/disclosure/catalogues/", {"level": "county"}).json()["count"] == 0


def test_entries_search_filters_and_cursor_pages(client, world):
    published(world, 5)
    first = client.get("/api/v1/disclosure/entries/", {"search": "招生", "page_size": 2}).json()
    assert [e["category_l2"] for e in first["results"]] == ["招生政策1", "招生政策2"]
    second = client.get(first["next"]).json()
    assert [e["category_l2"] for e in second["results"]] == ["招生政策3", "招生政策4"]
    assert client.get("/api/v1/disclosure/entries/", {"mode": "on_request"}).json()["results"] == []
    assert len(client.get("/api/v1/disclosure/entries/", {"channel": "notice_board"}).json()["results"]) == 5


def test_entries_unknown_filter_is_a_clear_400(client, world, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    response = client.get("/api/v1/disclosure/entries/", {"domain": "moon"})
    assert response.status_code == 400 and "moon" in response.json()["domain"][0]


def test_drafts_are_not_in_the_entries_api(client, world):
    catalogue_with_entries(world, 3)
    assert client.get("/api/v1/disclosure/entries/").json()["results"] == []


def test_endpoints_in_the_schema(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/disclosure/catalogues/" in schema and "/api/v1/disclosure/entries/" in schema


def test_api_queries_do_not_grow_with_rows(client, world, django_assert_max_num_queries):
    published(world, 1)
    with django_assert_max_num_queries(4):
        client.get("/api/v1/disclosure/entries/")
    published(world, 30, domain=world["other_domain"])
    with django_assert_max_num_queries(4):
        client.get("/api/v1/disclosure/entries/", {"page_size": 50})
    with django_assert_max_num_queries(4):
        client.get("/api/v1/disclosure/catalogues/")
