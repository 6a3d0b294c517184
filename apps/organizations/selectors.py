"""Department scoping: the one place that decides which rows a staff user may see.

A superuser sees everything. Any other staff user sees the rows of their own department, plus rows on which
django-guardian granted them an object permission. Everyone else sees nothing.
"""
from django.db.models import Q, QuerySet
from django.contrib.contenttypes.models import ContentType
from guardian.models import GroupObjectPermission, UserObjectPermission


MAX_GRANTED = 1000


def queryset_for_department(*, user, queryset: QuerySet, department_field: str = "department", perm: str | None = None):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    visible = Q(**{department_field: user.department_id}) if user.department_id is not None else Q(pk__in=[])
    if perm:
        # Objects granted one by one are few: fetch their ids first. An OR with a subquery would keep PostgreSQL
        # from using the department index (measured: 60 ms instead of 2 ms on 1M rows, docs/benchmarks.md).
        granted = _granted_ids(user=user, model=queryset.model, perm=perm)
        if granted:
            visible |= Q(pk__in=granted)
    return queryset.filter(visible)


def _granted_ids(*, user, model, perm: str) -> list:
    """Primary keys of ``model`` objects on which django-guardian granted ``perm`` to the user or their groups,
    read from guardian's tables by their indexes (guardian's own helper casts every id to text)."""
    content_type = ContentType.objects.get_for_model(model)
    codename = perm.split(".", 1)[-1]
    rows = set(UserObjectPermission.objects.filter(user=user, content_type=content_type,
                                                   permission__codename=codename)
               .values_list("object_pk", flat=True)[:MAX_GRANTED])
    rows |= set(GroupObjectPermission.objects.filter(group__user=user, content_type=content_type,
                                                     permission__codename=codename)
                .values_list("object_pk", flat=True)[:MAX_GRANTED])
    return [model._meta.pk.to_python(pk) for pk in rows]


def staff_with_role(*, department, role) -> QuerySet:
    """Active staff of ``department`` (an instance or its id) who hold ``role``: whom a step is told to."""
    from django.contrib.auth import get_user_model

    department_id = getattr(department, "pk", department)
    return (get_user_model().objects.filter(department_id=department_id, is_active=True, groups__name=str(role))
            .distinct().order_by("pk"))
