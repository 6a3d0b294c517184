"""Demo electronic licences for `make run`, registered through the registry's service as their issuing departments
would in the admin."""
import datetime as dt

from django.db import transaction

from apps.licences.models import Licence, LicenceKind
from apps.licences.services import LicenceData, licence_issue
from apps.organizations.models import Department


@transaction.atomic
def licences_demo_load(*, data: dict, actor) -> int:
    created = 0
    for row in data["licences"]:
        kind = LicenceKind.objects.get(code=row["kind"])
        if Licence.objects.filter(kind=kind, number=row["number"]).exists():
            continue
        licence_issue(actor=actor, issuing_department=Department.objects.get(code=row["issuing_department"]),
                      data=LicenceData(kind=kind, number=row["number"], holder_code=row["holder_code"],
                                       holder_name=row["holder_name"],
                                       valid_from=dt.date.fromisoformat(row["valid_from"]),
                                       valid_until=dt.date.fromisoformat(row["valid_until"]) if row["valid_until"]
                                       else None))
        created += 1
    return created
