"""Reads of the disclosure catalogues: staff scoping (own agency, or the reviewing office) and the public's view of
published versions only."""
from django.db import connection
from django.db.models import Q, QuerySet

from apps.core.text import segment, words_query
from apps.organizations.constants import AdminLevel, Role
from apps.workflow.selectors import actor_has_case_role, case_queryset_for_staff

from .columns import COLUMN_FIELDS, FIELD_TITLES
from .constants import EDITABLE_STATUSES
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
    return actor_has_case_role(user=user, obj=catalogue, roles={Role.DISCLOSURE_OFFICER})


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


def catalogue_create_refusal(*, user, admin_unit, department) -> str | None:
    """Why ``user`` may not open a catalogue of ``department`` for ``admin_unit`` (the message), or None. The service
    raises it; the admin's add form shows it."""
    from django.utils.translation import gettext as _

    if getattr(user, "is_superuser", False):
        return None
    if not (user.is_active and user.is_staff and user.department_id == getattr(department, "pk", None)
            and user.groups.filter(name=Role.DISCLOSURE_OFFICER).exists()):
        return _("A disclosure officer opens catalogues for their own agency only.")
    if not catalogue_units_for(user=user).filter(pk=admin_unit.pk).exists():
        return _("A catalogue is opened for your agency's government unit or one of its villages.")
    return None


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
        qs = qs.filter(mode=mode)
    if audience:
        qs = qs.filter(audience=audience)
    if channel:
        qs = qs.filter(channels__regex=rf"(^|,){channel}(,|$)")
    words = segment(q.strip()) if q and q.strip() else []
    if words:
        if connection.vendor == "postgresql":
            qs = qs.filter(search_vector=words_query(words))
        else:
            for word in words:
                qs = qs.filter(Q(search_tokens__icontains=word.lower()) | Q(content_elements__icontains=word)
                               | Q(category_l1__icontains=word) | Q(category_l2__icontains=word))
    return qs


def version_diff(*, old: CatalogueVersion | None, new: CatalogueVersion) -> dict:
    """What changed from ``old`` to ``new``: entries added, retired and changed (field by field, each of the table's
    fields named as the table names it), by entry key."""
    before = {e.key: e for e in version_entries(version=old)} if old else {}
    after = {e.key: e for e in version_entries(version=new)}
    added = [after[k] for k in after if k not in before]
    removed = [before[k] for k in before if k not in after]
    changed = []
    for key in after.keys() & before.keys():
        a, b = before[key], after[key]
        diffs = [{"field": FIELD_TITLES[f], "before": _display(a, f), "after": _display(b, f)}
                 for f in COLUMN_FIELDS if getattr(a, f) != getattr(b, f)]
        if diffs:
            changed.append({"entry": b, "changes": diffs})
    changed.sort(key=lambda item: item["entry"].position)
    return {"added": sorted(added, key=lambda e: e.position), "removed": sorted(removed, key=lambda e: e.position),
            "changed": changed}


def _display(entry, field: str) -> str:
    from .tables import channels_text

    if field == "channels":
        return channels_text(entry.channel_codes)
    if field in ("audience", "mode"):
        return str(getattr(entry, f"get_{field}_display")())
    return str(getattr(entry, field))
