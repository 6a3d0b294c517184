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

from apps.organizations.constants import Role

from .models import Application

# The government service centre (市政务服务中心): its window clerks and its head watch every department's figures.
SERVICE_CENTRE = "city-service-center"
CENTRE_ROLES = (Role.WINDOW_CLERK, Role.DEPARTMENT_HEAD)

# group -> the value grouped by. Only columns of the statistics index (models.Application.Meta): the counts are
# read from the index alone; the names of the items or departments are read after, in one query.
GROUPS = {"month": "month", "channel": "channel", "service": "service_id", "department": "department_id"}


@dataclass(frozen=True)
class Scope:
    """What a user may read: the whole city, or one department."""

    city: bool
    department_id: int | None = None

    def applications(self) -> QuerySet:
        qs = Application.objects.filter(submitted_month__isnull=False)
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
    from apps.core.dashboard import user_roles

    roles = user_roles(user)  # read once per request with the dashboard's queues
    if not roles & {str(r) for r in CENTRE_ROLES}:
        return None  # one query for everybody else (the admin index asks on every visit)
    from apps.organizations.models import Department

    if Department.objects.filter(pk=user.department_id, code=SERVICE_CENTRE).exists():
        return Scope(city=True)
    if str(Role.DEPARTMENT_HEAD) in roles:
        return Scope(city=False, department_id=user.department_id)
    return None


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
    "applications": Count("*"),
    "acceptance_handled": Count("submitted_month", filter=Q(acceptance_on_time__isnull=False)),
    "accepted_on_time": Count("submitted_month", filter=Q(acceptance_on_time=True)),
    "decided": Count("submitted_month", filter=Q(decision_on_time__isnull=False)),
    "decided_on_time": Count("submitted_month", filter=Q(decision_on_time=True)),
    "first_time": Count("submitted_month", filter=Q(decision_on_time__isnull=False, supplemented=False)),
    # The average as a sum and a count, so that the totals row is added up from the rows (one query, not two).
    "working_days_sum": Sum("decision_working_days", default=0),
    "working_days_count": Count("decision_working_days"),
}


def centre_statistics(*, scope: Scope, first: dt.date, last: dt.date, group: str = "month", department=None,
                      service=None, channel: str = "") -> dict:
    """The figures of the applications submitted from ``first``'s month to ``last``'s month (local time), within
    ``scope``, optionally of one department, item or channel, one row per ``group`` value, and their totals.

    At most two queries whatever the number of rows: the grouped counts, and the names of the items or departments
    grouped by; the totals row adds the rows up."""
    # By the stored month of submission (local time), the key of the statistics index.
    qs = scope.applications().filter(submitted_month__gte=first.replace(day=1), submitted_month__lte=last.replace(day=1))
    if department is not None:
        qs = qs.filter(department=department)
    if service is not None:
        qs = qs.filter(service=service)
    if channel:
        qs = qs.filter(channel=channel)
    key = GROUPS[group]
    grouped = qs.annotate(month=F("submitted_month")) if group == "month" else qs
    found = list(grouped.values(key).annotate(**_AGGREGATES).order_by(key))
    names = _names(group, [row[key] for row in found])
    rows, totals = [], dict.fromkeys(_COUNTS, 0)
    for row in found:
        rows.append({"key": row[key], "name": names.get(row[key], "—"), **_figures(row)})
        for count in _COUNTS:
            totals[count] += row[count]
    if group in ("service", "department"):
        rows.sort(key=lambda r: (r["name"], r["key"]))
    return {"rows": rows, "totals": _figures(totals)}


def _names(group: str, keys: list) -> dict:
    from apps.catalogue.models import ServiceItem
    from apps.organizations.models import Department

    from .constants import Channel

    if group == "month":
        return {k: k.strftime("%Y-%m") for k in keys if k is not None}
    if group == "channel":
        return {k: Channel(k).label if k in Channel.values else k for k in keys}
    model = ServiceItem if group == "service" else Department
    return dict(model.objects.filter(pk__in=keys).values_list("pk", "name")) if keys else {}
