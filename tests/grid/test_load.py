"""The demo grids and routing rules load set-wise (in memory, then one write): they must still be validated as the
admin validates a rule, against the rules already there and those before them in the file, and write nothing when
reloaded unchanged (load_demo and every grid test's world run them)."""

import copy
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.grid.exceptions import CaseError
from apps.grid.models import Grid, RoutingRule
from apps.grid.services import grids_load, routing_rules_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    call_command("load_demo", "--reference-only", verbosity=0)
    return json.loads((settings.BASE_DIR / "fixtures/demo/grids.json").read_text(encoding="utf-8"))


def test_loading_the_demo_grids_and_rules_inserts_them_and_a_reload_writes_nothing(data):
    with CaptureQueriesContext(connection) as queries:
        grids_load(rows=data["grids"])
        count = routing_rules_load(rows=data["routing_rules"])
    writes = [q["sql"].split()[0] for q in queries.captured_queries if q["sql"].startswith(("INSERT", "UPDATE"))]
    assert set(writes) == {"INSERT"} and len(writes) <= 4  # no UPDATE of what was just inserted
    assert RoutingRule.objects.count() == count
    with CaptureQueriesContext(connection) as queries:
        grids_load(rows=data["grids"])
        routing_rules_load(rows=data["routing_rules"])
    assert [q["sql"] for q in queries.captured_queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))] == []
    assert len(queries) <= 12
    first = Grid.objects.get(code="21110300100101")  # 122.00–122.01 E, 41.10–41.11 N, its box kept in step
    assert (first.min_lng, first.min_lat, first.max_lng, first.max_lat) == (122.0, 41.1, 122.01, 41.11)


def test_a_rule_that_clashes_with_one_before_it_in_the_file_is_refused_and_nothing_is_written(data):
    grids_load(rows=data["grids"])
    first = data["routing_rules"][0]  # 露天焚烧 (1105) → 市生态环境局, precedence 10, city-wide
    clash = {**first, "name": "露天焚烧归市城管局", "department": "city-urban-management"}
    with pytest.raises(CaseError) as error:
        routing_rules_load(rows=[first, clash])
    assert error.value.field == "priority" and first["name"] in str(error.value)
    assert not RoutingRule.objects.exists()


def test_a_rule_that_clashes_with_one_in_the_table_is_refused_but_a_changed_rule_is_checked_with_its_new_values(data):
    grids_load(rows=data["grids"])
    first = data["routing_rules"][0]
    routing_rules_load(rows=[first])
    with pytest.raises(CaseError):
        routing_rules_load(rows=[{**first, "name": "露天焚烧归市城管局", "department": "city-urban-management"}])
    # The same rule moved to another precedence frees precedence 10 for the new one, in the same file.
    moved = {**first, "priority": 20}
    routing_rules_load(rows=[moved, {**first, "name": "露天焚烧归市城管局", "department": "city-urban-management"}])
    assert dict(RoutingRule.objects.values_list("name", "priority")) == {first["name"]: 20, "露天焚烧归市城管局": 10}


def test_changed_grid_and_rule_rows_update_in_place(data):
    grids_load(rows=data["grids"])
    routing_rules_load(rows=data["routing_rules"])
    rule = RoutingRule.objects.get(name=data["routing_rules"][0]["name"])
    grid = Grid.objects.get(code=data["grids"][0]["code"])
    changed = copy.deepcopy(data)
    changed["routing_rules"][0]["department"] = "city-urban-management"
    changed["grids"][0]["name"] = "改名后的网格"
    grids_load(rows=changed["grids"])
    routing_rules_load(rows=changed["routing_rules"])
    rule.refresh_from_db()
    grid.refresh_from_db()
    assert rule.department.code == "city-urban-management" and grid.name == "改名后的网格"
    assert RoutingRule.objects.count() == len(RoutingRule.objects.values("name").distinct())
