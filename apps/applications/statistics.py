"""The service centre's statistics (issue 16 item 5): per month of submission, channel, item and department —
applications, acceptance on time, decision on time, 一次办成 and the average working days to the decision.

Reads only: who may see which departments (``statistics_scope``) and one grouped query over the application table
with conditional counts (``centre_statistics``). The per-application figures it counts are copies written by the
services when their source is written (models.Application, services._figures_*), so that millions of rows are
counted without joining the deadline rows or counting working days here (docs/benchmarks.md).
"""
import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from apps.organizations.constants import Role

from .models import Application

# The government service centre (市政务服务中心): its window clerks and its head watch every department's figures.
SERVICE_CENTRE = "city-service-center"
CENTRE_ROLES = (Role.WINDOW_CLERK, Role.DEPARTMENT_HEAD)

# group -> (the value grouped by, the name shown)
GROUPS = {
    "month": ("month", "month"),
    "channel": ("channel", "channel"),
    "service": ("service_id", "service__name"),
    "department": ("department_id", "department__name"),
}


@dataclass(frozen=True)
class Scope:
    """What a user may read: the whole city, or one department."""

    city: bool
    department_id: int | None = None

    def applications(self) -> QuerySet:
        qs = Application.objects.filter(submitted_at__isnull=False)
        return qs if self.city else qs.filter(department_id=self.department_id)


def statistics_scope(*, user) -> Scope | None:
    """The service centre's window clerks and head, and superusers, see the whole city; any other department head
    sees their own department; nobody else sees the statistics (None)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.is_staff:
        return None
    if user.is_superuser:
        return Scope(city=True)
    if user.department_id is None:
        return None
    roles = set(user.groups.values_list("name", flat=True))
    if not roles & {str(r) for r in CENTRE_ROLES}:
        return None  # one query for everybody else (the admin index asks on every visit)
    from apps.organizations.models import Department

    if Department.objects.filter(pk=user.department_id, code=SERVICE_CENTRE).exists():
        return Scope(city=True)
    if str(Role.DEPARTMENT_HEAD) in roles:
        return Scope(city=False, department_id=user.department_id)
    return None


def month_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) from the first day of ``first``'s month to the first day after ``last``'s month, in local time."""
    following = (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return (timezone.make_aware(dt.datetime.combine(first.replace(day=1), dt.time.min)),
            timezone.make_aware(dt.datetime.combine(following, dt.time.min)))


def _rate(part, whole):
    return round(100 * part / whole, 1) if whole else None


def _figures(row: dict) -> dict:
    average = row["working_days_sum"] / row["working_days_count"] if row["working_days_count"] else None
    return {
        "applications": row["applications"],
        "acceptance_handled": row["acceptance_handled"],
        "accepted_on_time": row["accepted_on_time"],
        "acceptance_rate": _rate(row["accepted_on_time"], row["acceptance_handled"]),
        "decided": row["decided"],
        "decided_on_time": row["decided_on_time"],
        "decision_rate": _rate(row["decided_on_time"], row["decided"]),
        "first_time": row["first_time"],
        "first_time_rate": _rate(row["first_time"], row["decided"]),
        "working_days": round(average, 1) if average is not None else None,
    }


_COUNTS = ("applications", "acceptance_handled", "accepted_on_time", "decided", "decided_on_time", "first_time",
           "working_days_sum", "working_days_count")


_AGGREGATES = {
    "applications": Count("id"),
    "acceptance_handled": Count("id", filter=Q(acceptance_on_time__isnull=False)),
    "accepted_on_time": Count("id", filter=Q(acceptance_on_time=True)),
    "decided": Count("id", filter=Q(decision_on_time__isnull=False)),
    "decided_on_time": Count("id", filter=Q(decision_on_time=True)),
    "first_time": Count("id", filter=Q(decision_on_time__isnull=False, supplemented=False)),
    # The average as a sum and a count, so that the totals row is added up from the rows (one query, not two).
    "working_days_sum": Sum("decision_working_days", default=0),
    "working_days_count": Count("decision_working_days"),
}


def centre_statistics(*, scope: Scope, first: dt.date, last: dt.date, group: str = "month", department=None,
                      service=None, channel: str = "") -> dict:
    """The figures of the applications submitted from ``first``'s month to ``last``'s month (local time), within
    ``scope``, optionally of one department, item or channel, one row per ``group`` value, and their totals.

    One query whatever the number of rows: the grouped counts (names joined in); the totals row adds them up."""
    from .constants import Channel

    start, end = month_bounds(first, last)
    qs = scope.applications().filter(submitted_at__gte=start, submitted_at__lt=end)
    if department is not None:
        qs = qs.filter(department=department)
    if service is not None:
        qs = qs.filter(service=service)
    if channel:
        qs = qs.filter(channel=channel)
    key, name = GROUPS[group]
    grouped = qs.annotate(month=TruncMonth("submitted_at")) if group == "month" else qs
    values = [key] if key == name else [key, name]
    rows, totals = [], dict.fromkeys(_COUNTS, 0)
    for row in grouped.values(*values).annotate(**_AGGREGATES).order_by(F(name).asc(nulls_last=True), key):
        label = row[name]
        if group == "month":
            label = timezone.localtime(label).strftime("%Y-%m") if label is not None else "—"
        elif group == "channel":
            label = Channel(label).label if label in Channel.values else label
        rows.append({"key": row[key], "name": label, **_figures(row)})
        for count in _COUNTS:
            totals[count] += row[count]
    return {"rows": rows, "totals": _figures(totals), "start": start, "end": end}
