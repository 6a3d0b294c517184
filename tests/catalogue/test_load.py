"""catalogue_load and the reference loaders are set-wise (apps.core.upsert): what they write must be what the
row-by-row update_or_create wrote, and their cost must not grow with the number of rows (load_demo and the test
worlds of hundreds of tests run them)."""

import copy
import json

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.catalogue.models import LifeEvent, Material, ProcessStep, ServiceItem
from apps.catalogue.services import catalogue_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    call_command("load_demo", "--reference-only", verbosity=0)
    return json.loads((settings.BASE_DIR / "fixtures/demo/service_items.json").read_text(encoding="utf-8"))


def _row(data, code):
    return next(row for row in data["service_items"] if row["code"] == code)


def test_reload_updates_in_place_and_deletes_what_was_dropped(catalogue):
    catalogue_load(life_events=catalogue["life_events"], service_items=catalogue["service_items"])
    food = ServiceItem.objects.get(code="SCJG-XK-0001")
    untouched = ServiceItem.objects.get(code="WJ-GG-0003")
    first, *_rest, last = food.materials.order_by("order")
    first.sample.save("样表.pdf", ContentFile(b"%PDF-1.4\n"), save=True)  # uploaded in the admin
    steps = food.steps.count()
    untouched_at = untouched.updated_at

    changed = copy.deepcopy(catalogue)
    row = _row(changed, "SCJG-XK-0001")
    row["promised_limit"] = 5
    row["materials"][0]["name"] = "食品经营许可申请书（2026版）"
    row["materials"].pop()
    row["steps"].pop()
    assert row["life_events"] == ["开办企业"]
    row["life_events"] = ["企业经营", "企业变更"]
    catalogue_load(life_events=changed["life_events"], service_items=changed["service_items"])

    food.refresh_from_db()
    assert food.promised_limit == 5
    assert food.updated_at > untouched_at
    first.refresh_from_db()  # the same row (applications point at their materials): renamed, its sample kept
    assert first.name == "食品经营许可申请书（2026版）" and first.sample.name
    assert not Material.objects.filter(pk=last.pk).exists()
    assert food.steps.count() == steps - 1 == ProcessStep.objects.filter(service=food).count()
    assert set(food.life_events.values_list("name", flat=True)) == set(row["life_events"])
    untouched.refresh_from_db()
    assert untouched.updated_at == untouched_at  # nothing of it changed, nothing written


def test_new_item_is_validated_before_anything_is_written(catalogue):
    from django.core.exceptions import ValidationError

    bad = copy.deepcopy(_row(catalogue, "SCJG-XK-0001"))
    bad.update(code="SCJG-XK-9999", promised_limit=30, legal_limit=20)  # a promise longer than the law
    with pytest.raises(ValidationError):
        catalogue_load(life_events=[], service_items=[bad])
    assert not ServiceItem.objects.filter(code="SCJG-XK-9999").exists()


def test_reloading_unchanged_reference_data_and_catalogue_writes_nothing(catalogue):
    catalogue_load(life_events=catalogue["life_events"], service_items=catalogue["service_items"])
    with CaptureQueriesContext(connection) as queries:
        call_command("load_demo", "--reference-only", verbosity=0)
        catalogue_load(life_events=catalogue["life_events"], service_items=catalogue["service_items"])
    writes = [q["sql"] for q in queries.captured_queries
              if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []


def test_the_load_costs_the_same_queries_for_one_item_as_for_the_whole_catalogue(catalogue):
    """Set-wise: the 33 demo items with their 107 materials and 135 steps cost what one item costs (it was some 2,000
    queries, a second and a half in every test that built its world)."""
    one = [_row(catalogue, "SCJG-XK-0001")]
    with CaptureQueriesContext(connection) as single:
        catalogue_load(life_events=catalogue["life_events"], service_items=one)
    Material.objects.all().delete()
    ProcessStep.objects.all().delete()
    ServiceItem.objects.all().delete()
    LifeEvent.objects.all().delete()
    with CaptureQueriesContext(connection) as whole:
        catalogue_load(life_events=catalogue["life_events"], service_items=catalogue["service_items"])
    # The same statements; only the INSERTs may come in more batches (SQLite binds at most 999 values a statement).
    assert _statements(whole, inserts=False) == _statements(single, inserts=False)
    assert len(single) <= len(whole) <= 20
    assert ServiceItem.objects.count() == len(catalogue["service_items"])


def _statements(queries, *, inserts):
    return [q["sql"].split()[0] for q in queries.captured_queries if inserts or not q["sql"].startswith("INSERT")]


def test_reference_data_costs_a_few_queries():
    with CaptureQueriesContext(connection) as queries:
        call_command("load_demo", "--reference-only", verbosity=0)
    assert len(queries) <= 60  # roles, 29 units, 40 departments, 27 domains, 13 + 50 categories, 5 kinds

