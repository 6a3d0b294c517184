"""Reads of the disclosure catalogues: staff scoping (own agency, or the reviewing office) and the public's view of
published versions only."""
from django.db import connection
from django.db.models import Q, QuerySet

from apps.core.text import segment, words_query
from apps.organizations.constants import AdminLevel, Role
from apps.workflow.selectors import actor_has_case_role, case_queryset_for_staff

from .columns import COLUMN_FIELDS, FIELD_TITLES
from .constants import EDITABLE_STATUSES, KEEPER_ROLES, Mode
from .models import Catalogue, CatalogueVersion, Domain, Entry, PublishedEntry


def domain_names() -> set[str]:
    return set(Domain.objects.values_list("name", flat=True))


def catalogue_list_for_staff(*, user) -> QuerySet:
    """The catalogues of the user's agency, and those their office reviews; a superuser sees all."""
    return case_queryset_for_staff(user=user, queryset=Catalogue.objects.all())


def catalogue_queue_conditions(*, user) -> dict:
    """The back office's queues of catalogues (the list's ``?queue=<name>`` and the dashboard's counts): what the
    user's office has to review, and what came back to the user's agency."""
    from django.utils.translation import gettext_lazy

    from .constants import CatalogueStatus

    own = Q() if user.is_superuser else Q(department_id=user.department_id)
    reviewing = Q() if user.is_superuser else Q(reviewing_department_id=user.department_id)
    return {
        "to_review": (gettext_lazy("To review"), Q(status=CatalogueStatus.SUBMITTED) & reviewing),
        "returned": (gettext_lazy("Returned to us"), Q(status=CatalogueStatus.RETURNED) & own),
        "drafts": (gettext_lazy("Drafts not yet submitted"), Q(status=CatalogueStatus.DRAFT) & own),
    }


def officer_may_edit(*, user, catalogue: Catalogue) -> bool:
    """A disclosure officer of the maintaining agency (or a superuser), while the catalogue is not under review —
    the same role rule as the catalogue's transitions (workflow.selectors.actor_has_case_role)."""
    if catalogue.status not in EDITABLE_STATUSES:
        return False
    return actor_has_case_role(user=user, obj=catalogue, roles=KEEPER_ROLES)


def catalogue_units_for(*, user) -> QuerySet:
    """The government units a disclosure officer keeps catalogues for: their agency's unit and, for a township
    office, its villages (村(居)务公开). A superuser: all."""
    from apps.organizations.models import AdminUnit

    if user.is_superuser:
        return AdminUnit.objects.all()
    if not user.department_id:
        return AdminUnit.objects.none()
    unit = user.department.admin_unit
    return AdminUnit.objects.filter(Q(pk=unit.pk) | Q(parent=unit, level=AdminLevel.VILLAGE))


def catalogue_create_refusal(*, user, admin_unit, department, domain=None) -> str | None:
    """Why ``user`` may not open a catalogue of ``department`` for ``admin_unit`` in ``domain`` (the message), or
    None. The service raises it; the admin's add form shows it. A village committee's officer opens its own
    村(居)务公开 only."""
    from django.utils.translation import gettext as _

    from .constants import DomainKind

    if getattr(user, "is_superuser", False):
        return None
    held = set(user.groups.filter(name__in=KEEPER_ROLES).values_list("name", flat=True)) if user.is_active else set()
    if not (user.is_staff and user.department_id == getattr(department, "pk", None) and held):
        return _("A disclosure officer opens catalogues for their own agency only.")
    if not catalogue_units_for(user=user).filter(pk=admin_unit.pk).exists():
        return _("A catalogue is opened for your agency's government unit or one of its villages.")
    if held == {Role.VILLAGE_OFFICER} and (domain is None or domain.kind != DomainKind.VILLAGE_AFFAIRS
                                           or admin_unit.pk != user.department.admin_unit_id):
        return _("A village or community committee keeps its own 村(居)务公开 catalogue only.")
    return None


def round_comments(*, catalogue: Catalogue) -> QuerySet:
    """The reviewer's comments on the entries since the catalogue was last submitted."""
    from .models import EntryComment

    qs = EntryComment.objects.filter(catalogue=catalogue).select_related("entry", "author").order_by("created_at")
    return qs.filter(created_at__gte=catalogue.submitted_at) if catalogue.submitted_at else qs


def entries_working(*, catalogue: Catalogue, include_retired: bool = False) -> QuerySet:
    qs = Entry.objects.filter(catalogue=catalogue)
    return qs if include_retired else qs.filter(retired_at__isnull=True)


# ---- public ------------------------------------------------------------------------------------------------------

def catalogues_published(*, level: str | None = None, admin_unit=None, domain=None) -> QuerySet:
    qs = (Catalogue.objects.filter(current_version__isnull=False)
          .select_related("admin_unit", "domain", "department", "current_version"))
    if level:
        qs = qs.filter(admin_unit__level=level)
    if admin_unit is not None:
        qs = qs.filter(admin_unit=admin_unit)
    if domain is not None:
        qs = qs.filter(domain=domain)
    return qs.order_by("admin_unit__code", "domain__position")


def catalogue_get_published(*, pk) -> Catalogue:
    """A catalogue with a published version, else Catalogue.DoesNotExist (a draft is never public)."""
    try:
        return catalogues_published().get(pk=pk)
    except (ValueError, TypeError):
        raise Catalogue.DoesNotExist from None


def version_entries(*, version: CatalogueVersion) -> QuerySet:
    return PublishedEntry.objects.filter(version=version).order_by("position", "id")


def level_counts() -> dict:
    """Published catalogues per level, for the public index."""
    from django.db.models import Count

    rows = (Catalogue.objects.filter(current_version__isnull=False).values("admin_unit__level")
            .annotate(n=Count("id")))
    counts = {row["admin_unit__level"]: row["n"] for row in rows}
    return {level: counts.get(level, 0) for level in AdminLevel.values}


def entries_search(*, q: str = "", level: str = "", admin_unit=None, domain=None, catalogue=None, mode: str = "",
                   audience: str = "", channel: str = "") -> QuerySet:
    """Published entries of current versions, filtered. ``q`` is Chinese text: segmented with jieba; on PostgreSQL
    matched against the stored tsvector through a GIN full-text index (``simple`` configuration), elsewhere every word
    must appear in the entry's text."""
    qs = PublishedEntry.objects.filter(is_current=True)
    if catalogue is not None:
        qs = qs.filter(catalogue=catalogue)
    if level:
        qs = qs.filter(level=level)
    if admin_unit is not None:
        qs = qs.filter(admin_unit=admin_unit)
    if domain is not None:
        qs = qs.filter(domain=domain)
    if mode:
        # An entry disclosed both ways answers either filter.
        qs = qs.filter(mode__in=sorted({mode, Mode.BOTH}))
    if audience:
        qs = qs.filter(audience=audience)
    if channel:
        # One code in a comma-separated list, by LIKE patterns (a regular expression costs far more per row).
        qs = qs.filter(Q(channels=channel) | Q(channels__startswith=f"{channel},") | Q(channels__endswith=f",{channel}")
                       | Q(channels__contains=f",{channel},"))
    words = segment(q.strip()) if q and q.strip() else []
    if words:
        if connection.vendor == "postgresql":
            qs = qs.filter(search_vector=words_query(words))
        else:
            for word in words:
                qs = qs.filter(Q(search_tokens__icontains=word.lower()) | Q(content_elements__icontains=word)
                               | Q(category_l1__icontains=word) | Q(category_l2__icontains=word))
    return qs


def entries_with_catalogue(queryset: QuerySet) -> QuerySet:
    """Search results with their catalogue, unit and domain, fetched for the rows of the page only (one more query):
    joined into the search instead, they let PostgreSQL walk the catalogues in order and test every match against
    each (53 ms for 低保 in the townships; 4 ms without the join — docs/benchmarks.md)."""
    from django.db.models import Prefetch

    return queryset.prefetch_related(
        Prefetch("catalogue", queryset=Catalogue.objects.select_related("admin_unit", "domain")))


def entries_diff(*, before, after) -> dict:
    """What changed from the entries ``before`` to the entries ``after`` (working or published rows, matched by their
    key, which stays the same across versions): added, retired and changed, field by field, each field named as the
    official table names it."""
    before = {e.key: e for e in before}
    after = {e.key: e for e in after}
    added = [after[k] for k in after if k not in before]
    removed = [before[k] for k in before if k not in after]
    changed = []
    for key in after.keys() & before.keys():
        diffs = fields_changed(before[key], after[key])
        if diffs:
            changed.append({"entry": after[key], "changes": diffs})
    changed.sort(key=lambda item: item["entry"].position)
    return {"added": sorted(added, key=lambda e: e.position), "removed": sorted(removed, key=lambda e: e.position),
            "changed": changed, "empty": not (added or removed or changed)}


def fields_changed(old, new) -> list[dict]:
    """The table's fields that differ between two entries (or an entry and a row read from a table, as an object)."""
    return [{"field": FIELD_TITLES[f], "before": _display(old, f), "after": _display(new, f)}
            for f in COLUMN_FIELDS if getattr(old, f) != getattr(new, f)]


def version_diff(*, old: CatalogueVersion | None, new: CatalogueVersion) -> dict:
    """What changed from version ``old`` to ``new``."""
    return entries_diff(before=version_entries(version=old) if old else [], after=version_entries(version=new))


def pending_diff(*, catalogue: Catalogue) -> dict:
    """What publishing now would change for the public: the published version against the working entries in force
    (what the reviewer judges before 发布 or 退回)."""
    before = version_entries(version=catalogue.current_version) if catalogue.current_version_id else []
    return entries_diff(before=before, after=entries_working(catalogue=catalogue))


def import_plan(*, catalogue: Catalogue, rows: list[dict]) -> dict:
    """What importing ``rows`` (read from a table) would do to the working entries: each row is new, changed (with
    its fields) or unchanged, matched to an entry in force by 一级事项 + 二级事项 (the first row of a pair); entries the
    table no longer lists are retired. The preview shows it; ``services.catalogue_import_apply`` does it."""
    from .columns import DATA_FIELDS

    current = {(e.category_l1, e.category_l2): e for e in entries_working(catalogue=catalogue)}
    seen, planned = set(), []
    for row in rows:
        data = {k: v for k, v in row.items() if k in DATA_FIELDS}
        key = (row["category_l1"], row["category_l2"])
        entry = current.get(key) if key not in seen else None
        if entry is None:
            planned.append({"row": row, "data": data, "status": "new", "entry": None, "changes": []})
            continue
        seen.add(key)
        candidate = Entry(**{**{f: getattr(entry, f) for f in DATA_FIELDS}, **data})
        changes = fields_changed(entry, candidate)
        stored = any(getattr(entry, k) != v for k, v in data.items())
        planned.append({"row": row, "data": data, "entry": entry, "changes": changes,
                        "status": "changed" if changes else "same", "stored": stored})
    removed = sorted((e for k, e in current.items() if k not in seen), key=lambda e: e.position)
    counts = {status: sum(1 for p in planned if p["status"] == status) for status in ("new", "changed", "same")}
    return {"rows": planned, "removed": removed, "counts": {**counts, "removed": len(removed)}}


def _display(entry, field: str) -> str:
    from .tables import channels_text

    if field == "channels":
        return channels_text(entry.channel_codes)
    if field == "position":
        return str(entry.position or "")
    if field in ("audience", "mode"):
        return str(getattr(entry, f"get_{field}_display")())
    return str(getattr(entry, field))


# ---- coverage (检查验收, 绩效考核) ----------------------------------------------------------------------------------

def coverage_units(*, user=None):
    """The government units a coverage report covers: for a member of a government office, its unit and every unit
    below it; for a superuser or the public (``user`` None), the whole city."""
    from apps.organizations.models import AdminUnit

    units = AdminUnit.objects.all()
    if user is not None and not user.is_superuser:
        unit = user.department.admin_unit if user.department_id else None
        if unit is None:
            return AdminUnit.objects.none()
        # 统计用区划代码: a county's units extend its six digits, a township's its nine; a city's counties share
        # its first four (211100 → 211102, 211103 …).
        units = units.filter(code__startswith=unit.code[:4] if unit.level == AdminLevel.CITY else unit.code)
    return units.select_related("parent").order_by("code")


def coverage_report(*, units, today=None, stale_days: int | None = None) -> dict:
    """Every unit × the 26 domains (city, county, township) and every village × 五务 (村(居)务公开): the catalogue
    present or missing, its published version and date, entries, and a last publication older than ``stale_days``
    (settings.DISCLOSURE_STALE_DAYS) flagged; with the figures per unit that 绩效考核 uses. Four queries whatever the
    number of units."""
    from datetime import timedelta

    from django.conf import settings
    from django.db.models import Count
    from django.utils import timezone

    from .constants import AffairsGroup, CatalogueStatus, DomainKind

    today = today or timezone.localdate()
    stale_days = settings.DISCLOSURE_STALE_DAYS if stale_days is None else stale_days
    stale_before = today - timedelta(days=stale_days)
    units = list(units)
    domains = list(Domain.objects.filter(kind=DomainKind.PILOT).order_by("position", "code"))
    catalogues = {(c.admin_unit_id, c.domain_id): c for c in Catalogue.objects.filter(
        admin_unit__in=[u.pk for u in units]).select_related("current_version", "domain", "department")}

    def cell(catalogue):
        if catalogue is None:
            return {"state": "missing"}
        version = catalogue.current_version
        if version is None:
            return {"state": "unpublished", "catalogue": catalogue, "status": catalogue.get_status_display()}
        stale = timezone.localdate(version.published_at) < stale_before
        return {"state": "stale" if stale else "published", "catalogue": catalogue, "version": version.number,
                "published_on": timezone.localdate(version.published_at), "entries": version.entry_count,
                "revising": catalogue.status != CatalogueStatus.PUBLISHED}

    rows = []
    for unit in (u for u in units if u.level != AdminLevel.VILLAGE):
        cells = [cell(catalogues.get((unit.pk, d.pk))) for d in domains]
        counts = {state: sum(1 for c in cells if c["state"] == state)
                  for state in ("published", "stale", "unpublished", "missing")}
        current = counts["published"]
        rows.append({"unit": unit, "cells": cells, **counts,
                     "entries": sum(c.get("entries", 0) for c in cells),
                     "rate": round(100 * current / len(domains)) if domains else 0})

    village_domain = Domain.objects.filter(kind=DomainKind.VILLAGE_AFFAIRS).first()
    villages = [u for u in units if u.level == AdminLevel.VILLAGE]
    groups = list(AffairsGroup)
    group_counts = {}
    if village_domain is not None:
        for row in (PublishedEntry.objects.filter(is_current=True, domain=village_domain,
                                                  admin_unit__in=[u.pk for u in villages])
                    .values("admin_unit_id", "affairs_group").annotate(n=Count("id"))):
            group_counts[(row["admin_unit_id"], row["affairs_group"])] = row["n"]
    village_rows = []
    for unit in villages:
        found = cell(catalogues.get((unit.pk, village_domain.pk)) if village_domain else None)
        counts = [group_counts.get((unit.pk, g.value), 0) for g in groups]
        village_rows.append({"unit": unit, "cell": found, "groups": counts,
                             "missing_groups": [g.label for g, n in zip(groups, counts) if not n]})
    return {
        "domains": domains, "rows": rows, "groups": groups, "villages": village_rows, "stale_days": stale_days,
        "today": today,
        "totals": {
            "units": len(rows), "expected": len(rows) * len(domains),
            "published": sum(r["published"] for r in rows), "stale": sum(r["stale"] for r in rows),
            "unpublished": sum(r["unpublished"] for r in rows), "missing": sum(r["missing"] for r in rows),
            "villages": len(village_rows),
            "villages_published": sum(1 for v in village_rows if v["cell"]["state"] in ("published", "stale")),
            "villages_complete": sum(1 for v in village_rows
                                     if v["cell"]["state"] == "published" and not v["missing_groups"]),
        },
    }
