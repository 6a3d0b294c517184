from django.db.models import QuerySet

from .models import DishonestyRecord


def dishonesty_records_for(*, subject_code: str) -> QuerySet:
    return DishonestyRecord.objects.filter(subject_code=(subject_code or "").strip().upper())
