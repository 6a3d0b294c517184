"""The entry change page read-only: the reviewer, and a retired entry (issue 14: it answered 500)."""
import pytest
from django.urls import reverse

from apps.disclosure import services
from tests.disclosure.factories import catalogue_with_entries, load_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(roles, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    return load_world()


def test_the_reviewer_reads_an_entry_page(client, world):
    catalogue = catalogue_with_entries(world, 1)
    entry = catalogue.entries.get()
    client.force_login(world["reviewer"])
    response = client.get(reverse("admin:disclosure_entry_change", args=[entry.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert entry.category_l1 in page and 'name="_save"' not in page
    assert "政府网站" in page and "website," not in page  # the channels as the table writes them


def test_a_retired_entry_page_is_read_only_for_its_officer(client, world):
    catalogue = catalogue_with_entries(world, 2)
    entry = catalogue.entries.order_by("position").first()
    services.entry_retire(actor=world["officer"], entry=entry, reason="事项已取消")
    client.force_login(world["officer"])
    url = reverse("admin:disclosure_entry_change", args=[entry.pk])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert entry.category_l1 in page and 'name="_save"' not in page
    # A POST to the read-only page changes nothing.
    before = entry.category_l2
    assert client.post(url, {"category_l2": "改过"}).status_code == 403
    entry.refresh_from_db()
    assert entry.category_l2 == before
