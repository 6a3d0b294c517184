"""Demo disclosure catalogues for `make run`: each created, filled, submitted and published through the disclosure
services and ``transition_perform``, as an officer and a reviewer would in the admin."""
from django.db import transaction
from django.utils.translation import gettext as _

from apps.disclosure import services
from apps.disclosure.models import Catalogue, Domain
from apps.disclosure.tables import channels_parse
from apps.organizations.constants import AdminLevel
from apps.organizations.models import AdminUnit, Department
from apps.workflow.services import transition_perform


@transaction.atomic
def catalogues_demo_load(*, data: dict, actor) -> int:
    """Create and publish the demo catalogues (idempotent: an existing catalogue is left as it is). The fixture
    writes channels and the mode as the official table does (政府网站、公示栏; 依申请), so they are read with the
    table's own parser; ``entry_save`` checks each entry as a row of the table and reads a village entry's 五务 group
    from its 一级事项."""
    city = AdminUnit.objects.get(level=AdminLevel.CITY)
    specs = [{**spec, "unit": city.code} for spec in data["city"]] + data["others"]
    created = 0
    for spec in specs:
        unit = AdminUnit.objects.get(code=spec["unit"])
        domain = Domain.objects.get(code=spec["domain"])
        if Catalogue.objects.filter(admin_unit=unit, domain=domain).exists():
            continue
        department = Department.objects.get(code=spec["department"])
        catalogue = services.catalogue_create(actor=actor, admin_unit=unit, domain=domain, department=department)
        for position, row in enumerate(spec["entries"], start=1):
            channels, other = channels_parse(row["channels"])
            services.entry_save(actor=actor, catalogue=catalogue, data={
                **{k: v for k, v in row.items() if k != "channels"}, "position": position,
                "channels": ",".join(channels), "channels_other": other,
                "audience": "specific_group" if row.get("audience_group") else "public",
                "mode": "on_request" if row.get("mode") == "依申请" else "proactive",
                "publisher": department.full_name or department.name, "enquiry_phone": spec["phone"],
            })
        catalogue = transition_perform(actor=actor, obj=catalogue, name="submit")
        transition_perform(actor=actor, obj=catalogue, name="publish", comment=_("Demo data"))
        created += 1
    return created
