"""The back office's front door (issue 19): each staff role starts the day from its own queues, with counts and one
click to each filtered changelist.

Each service app registers its queues from its ``admin.py`` (``queue_register``), naming the roles that work them,
the app's selector that gives the rows (the same scoping and the same filter condition as the linked changelist:
the count is what the list shows) and the changelist's query string. ``apps.core`` imports no service app.
A count is one ``COUNT`` over at most ``COUNT_CAP + 1`` rows (CONVENTIONS 9: big tables count capped).
"""
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise

COUNT_CAP = 999


@dataclass(frozen=True)
class Queue:
    name: str  # unique, e.g. "applications.to_accept"
    label: str | Promise
    roles: frozenset  # the roles that work this queue (superusers see every queue)
    # The linked changelist's rows: base(user) is its scoped queryset (the selector its get_queryset calls),
    # condition(user) the Q of its filter (None: none). Queues sharing a base scope it once per page.
    base: Callable
    condition: Callable
    changelist: str  # admin URL name, e.g. "admin:applications_application_changelist"
    query: str = ""  # the changelist's filter, e.g. "queue=to_accept"
    section: str | Promise = ""  # the heading it is grouped under
    alert: bool = False  # late work: shown in red when not zero

    @property
    def url(self) -> str:
        url = reverse(self.changelist)
        return f"{url}?{self.query}" if self.query else url


_QUEUES: dict[str, Queue] = {}


def queue_register(queue: Queue) -> Queue:
    _QUEUES[queue.name] = Queue(**{**queue.__dict__, "roles": frozenset(str(r) for r in queue.roles)})
    return queue


def capped_count(queryset, cap: int = COUNT_CAP) -> int:
    """One ``SELECT COUNT(*) FROM (… LIMIT cap + 1)``: exact up to ``cap``, ``cap + 1`` meaning "more"."""
    return queryset.order_by().values("pk")[:cap + 1].count()


def user_roles(user) -> set[str]:
    """The staff user's role names, read once per request (kept on the request's user object: the dashboard's queues
    and the index's report links both ask)."""
    if not getattr(user, "is_staff", False) or not user.is_active:
        return set()
    cached = getattr(user, "_portal_role_names", None)
    if cached is None:
        cached = user._portal_role_names = frozenset(user.groups.values_list("name", flat=True))
    return set(cached)


def dashboard_for(*, user) -> list[dict]:
    """The queues ``user`` works, grouped by section, each with its count (one query) and its changelist link."""
    if not getattr(user, "is_staff", False) or not user.is_active:
        return []
    roles = user_roles(user)
    sections: dict = {}
    bases: dict = {}
    for queue in _QUEUES.values():
        if not user.is_superuser and not (queue.roles & roles):
            continue
        if queue.base not in bases:
            bases[queue.base] = queue.base(user=user)
        condition = queue.condition(user)
        count = capped_count(bases[queue.base] if condition is None else bases[queue.base].filter(condition))
        sections.setdefault(str(queue.section), []).append({
            "name": queue.name, "label": queue.label, "url": queue.url, "count": count,
            "display": f"{COUNT_CAP}+" if count > COUNT_CAP else str(count), "alert": queue.alert and count > 0,
        })
    return [{"title": title, "queues": queues} for title, queues in sections.items()]


# --- reports: pages of figures (not queues) linked from the same front door ------------------------------------

@dataclass(frozen=True)
class Report:
    name: str  # unique, e.g. "applications.statistics"
    label: str | Promise
    url_name: str  # admin URL name of the page
    allowed: Callable  # allowed(user) -> bool: the same rule the page applies (its app's selector)


_REPORTS: dict[str, Report] = {}


def report_register(report: Report) -> Report:
    _REPORTS[report.name] = report
    return report


def reports_for(*, user) -> list[dict]:
    """The report pages ``user`` may open, each with its link."""
    if not getattr(user, "is_staff", False) or not user.is_active:
        return []
    return [{"name": r.name, "label": r.label, "url": reverse(r.url_name)} for r in _REPORTS.values()
            if r.allowed(user)]
