"""The public API: the 13 categories, and published enterprises only, filterable and paginated."""
import datetime as dt

import pytest
from django.urls import reverse

from apps.honors.models import Showcase

from .factories import fill, load_world, published, revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return load_world()


def test_categories_with_their_reviewing_departments(client, world):
    rows = client.get(reverse("api:honor-category-list")).json()
    assert len(rows) == 13
    assert {"code": "high-tech", "department": "市科技局"}.items() <= rows[0].items()
    assert {r["department_code"] for r in rows} == {"city-science", "city-industry", "city-agriculture",
                                                     "city-commerce", "city-culture-tourism",
                                                     "city-market-regulation"}


def test_showcase_lists_published_enterprises_only(client, world):
    shown = published(world)
    fill(world, enterprise=world["other_enterprise"])  # a draft: never listed
    url = reverse("api:showcase-list")
    body = client.get(url).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["id"] == shown.showcase_id and set(row["honors"]) == {"high-tech", "agri-leading"}
    assert row["district_code"] == "211103" and row["industry"] == "A" and row["version"] == 1
    assert client.get(url, {"category": "green-factory"}).json()["count"] == 0
    assert client.get(url, {"category": "high-tech", "industry": "A", "district": "211103"}).json()["count"] == 1
    assert client.get(url, {"search": "盘锦大米"}).json()["count"] == 1
    detail = client.get(reverse("api:showcase-detail", args=[shown.showcase_id])).json()
    assert "水稻种植加工" in detail["sections"]["profile"]
    assert detail["certificates"][0]["issuer"] == "辽宁省科学技术厅"
    image = detail["products"][0]["images"][0]
    assert client.get(image).status_code == 200


def test_unknown_filters_are_a_400_that_names_them(client, world):
    url = reverse("api:showcase-list")
    assert "category" in client.get(url, {"category": "nope"}).json()
    assert "district" in client.get(url, {"district": "999999"}).json()
    assert "industry" in client.get(url, {"industry": "ZZ"}).json()


def test_revoked_enterprise_disappears_from_the_api(client, world):
    shown = published(world)
    revoke(actor=world["officer"], showcase=Showcase.objects.get(pk=shown.showcase_id),
                             source="信用中国", listed_on=dt.date(2026, 1, 1), reason="失信")
    assert client.get(reverse("api:showcase-list")).json()["count"] == 0
    assert client.get(reverse("api:showcase-detail", args=[shown.showcase_id])).status_code == 404


def test_reviews_api_is_for_staff_only(client, world):
    published(world)
    assert client.get(reverse("api:honor-review-list")).status_code == 403
    client.force_login(world["enterprise"])
    assert client.get(reverse("api:honor-review-list")).status_code == 403


def test_schema_lists_the_honor_endpoints(client, world):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()
    assert {"/api/v1/honors/categories/", "/api/v1/showcase/", "/api/v1/showcase/{id}/"} <= set(schema["paths"])


def test_showcase_api_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    from tests.accounts.factories import EnterpriseFactory

    published(world)
    with django_assert_max_num_queries(6) as one:
        client.get(reverse("api:showcase-list"))
    for _ in range(29):
        published(world, enterprise=EnterpriseFactory())
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(reverse("api:showcase-list")).json()["count"] == 30
