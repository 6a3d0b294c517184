"""The one rule of dishonesty (失信): a record is kept, then every service registered for it acts on its subject —
the honor showcase revokes the enterprise's page. A service registers its consequence in its AppConfig.ready()."""
from collections.abc import Callable

from django.db import transaction

from .models import DishonestyRecord

_CONSEQUENCES: list[Callable] = []


def consequence_register(consequence: Callable) -> Callable:
    """``consequence(record=, actor=)`` runs inside the transaction that keeps the record."""
    if consequence not in _CONSEQUENCES:
        _CONSEQUENCES.append(consequence)
    return consequence


@transaction.atomic
def dishonesty_record_add(*, actor, subject_code: str, subject_name: str, source: str, listed_on, reason: str,
                          origin=None, department=None) -> DishonestyRecord:
    from django.contrib.contenttypes.models import ContentType

    record = DishonestyRecord.objects.create(
        subject_code=(subject_code or "").strip().upper(), subject_name=subject_name.strip(), source=source.strip(),
        listed_on=listed_on, reason=reason.strip(),
        origin_type=ContentType.objects.get_for_model(origin) if origin is not None else None,
        origin_id=str(origin.pk) if origin is not None else "", department=department,
        recorded_by=actor if getattr(actor, "pk", None) else None)
    for consequence in list(_CONSEQUENCES):
        consequence(record=record, actor=actor)
    return record
