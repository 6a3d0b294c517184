"""The category model's admin (ADR 0010): what a dispatcher reads, the train button (the service the nightly task
calls), who may press it, and the list's query count."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.grid.models import CategoryModel
from tests.accounts.factories import CitizenFactory, StaffFactory

from .classifier_data import closed_cases
from .factories import load_people, load_world

pytestmark = pytest.mark.django_db

LIST = reverse("admin:grid_categorymodel_changelist")
TRAIN = reverse("admin:grid_categorymodel_train")


@pytest.fixture
def world(db):
    return load_people(load_world())


def test_a_dispatcher_trains_from_the_page_and_reads_the_figures(client, world):
    closed_cases()
    client.force_login(world["dispatcher"])
    page = client.get(LIST).content.decode()
    assert "立即训练" in page
    response = client.post(TRAIN, follow=True)
    model = CategoryModel.objects.get()
    text = response.content.decode()
    assert f"第{model.version}版已用 350 件案件训练完成" in text
    assert f"{model.held_out_accuracy:.1%}" in text and f"{model.keyword_accuracy:.1%}" in text
    detail = client.get(reverse("admin:grid_categorymodel_change", args=[model.pk])).content.decode()
    assert "暴露垃圾" in detail and "井盖破损" in detail and "70" in detail
    # Pressed again with nothing new: no new version, and the page says so.
    text = client.post(TRAIN, follow=True).content.decode()
    assert CategoryModel.objects.count() == 1 and "继续使用该版本" in text


def test_with_nothing_to_learn_the_page_says_so(client, world):
    client.force_login(world["dispatcher"])
    text = client.post(TRAIN, follow=True).content.decode()
    assert "仍由关键词规则给出建议" in text and not CategoryModel.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "citizen", "handler", "member", "head"])
def test_others_may_neither_read_nor_train(client, world, who):
    closed_cases(per_category=5)
    if who != "anonymous":
        user = {"citizen": CitizenFactory, "head": lambda: StaffFactory(
            department=world["handler"].department, roles=["department_head"])}.get(who, lambda: world[who])()
        client.force_login(user)
    response = client.post(TRAIN)
    # Not staff: the admin's login page; staff without the dispatcher's role: refused.
    assert response.status_code == (302 if who in ("anonymous", "citizen") else 403)
    assert not CategoryModel.objects.exists()
    assert client.get(LIST).status_code in (302, 403)


def _versions(n):
    now = timezone.now()
    CategoryModel.objects.bulk_create([
        CategoryModel(version=i + 1, trained_at=now - dt.timedelta(days=n - i), n_cases=300 + i, held_out_cases=40,
                      held_out_accuracy=0.9, keyword_accuracy=0.5, category_counts={"1": 300}, data_digest=str(i),
                      weights={"big": list(range(1000))}) for i in range(n)])


@pytest.mark.parametrize("rows", [1, 30])
def test_the_list_query_count_does_not_grow(client, world, django_assert_num_queries, rows):
    _versions(rows)
    client.force_login(world["dispatcher"])
    client.get(LIST)  # warm the per-process caches (content types, session)
    with django_assert_num_queries(7):  # the same with 1 and 30 versions
        response = client.get(LIST)
    assert response.status_code == 200 and response.content.decode().count("90.0%") == rows
