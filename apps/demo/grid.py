"""Demo grids for `make run`: grids in the four districts, the demo grid member on them, the routing rules of the four
districts, and the demo Open311 client."""
from django.db import transaction

from apps.accounts.models import User
from apps.grid.models import Grid, GridMember, Open311Client
from apps.grid.services import grids_load, open311_client_create, routing_rules_load


@transaction.atomic
def grids_demo_load(*, data: dict) -> int:
    """The demo grids, the demo grid member on the first community's grids, the routing rules (each district's
    city-management categories to its own bureau, city-wide exceptions, a street's team for its minor cases), and the
    demo Open311 client with its fixed key (printed by `make run`)."""
    count = grids_load(rows=data["grids"])
    routing_rules_load(rows=data.get("routing_rules", []))
    member = User.objects.filter(username="grid_member").first()
    if member is not None:
        for grid in Grid.objects.filter(community__code=data["grids"][0]["community"]):
            GridMember.objects.get_or_create(grid=grid, user=member)
    if not Open311Client.objects.filter(api_key=data["open311_demo_key"]).exists():
        open311_client_create(name="演示客户端（12345热线平台）", api_key=data["open311_demo_key"])
    return count
