"""Demo grids for `make run`: the demo district's grids, the demo grid member on them, and the demo Open311 client."""
from django.db import transaction

from apps.accounts.models import User
from apps.grid.models import Grid, GridMember, Open311Client
from apps.grid.services import grids_load, open311_client_create


@transaction.atomic
def grids_demo_load(*, data: dict) -> int:
    """The demo district's grids, the demo grid member on the first community's grids, and the demo Open311 client
    with its fixed key (printed by `make run`)."""
    count = grids_load(rows=data["grids"])
    member = User.objects.filter(username="grid_member").first()
    if member is not None:
        for grid in Grid.objects.filter(community__code=data["grids"][0]["community"]):
            GridMember.objects.get_or_create(grid=grid, user=member)
    if not Open311Client.objects.filter(api_key=data["open311_demo_key"]).exists():
        open311_client_create(name="演示客户端（12345热线平台）", api_key=data["open311_demo_key"])
    return count
