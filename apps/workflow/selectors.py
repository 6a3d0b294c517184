"""Who may see a case, and its timeline in the staff and the public form."""
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from apps.core.i18n import stored_text
from apps.organizations.selectors import queryset_for_department

from .constants import EntryKind
from .models import TimelineEntry
from .spec import Transition, spec_for


def case_is_owner(*, user, obj: Model) -> bool:
    spec = spec_for(obj)
    if not getattr(user, "is_authenticated", False):
        return False
    return any(getattr(obj, f"{name}_id", None) == user.pk for name in (spec.owner_field, *spec.co_owner_fields))


def case_queryset_for_staff(*, user, queryset: QuerySet) -> QuerySet:
    spec = spec_for(queryset.model)
    if not getattr(user, "is_staff", False):
        return queryset.none()
    fields = spec.department_fields()
    if len(fields) == 1 and spec.staff_visibility is None:
        return queryset_for_department(user=user, queryset=queryset, department_field=fields[0], perm=spec.view_perm)
    visible = queryset.none()
    for field in fields:
        visible |= queryset_for_department(user=user, queryset=queryset, department_field=field, perm=spec.view_perm)
    extra = spec.staff_visibility(user) if spec.staff_visibility is not None and not user.is_superuser else None
    if extra is not None:
        visible |= queryset.filter(extra)
    return visible


def case_view_permission(model) -> str:
    """The model permission that opens a case's admin page (``<app>.view_<model>``), carried by the role groups
    listed for it in ``organizations.constants.ROLE_PERMISSIONS``."""
    opts = model._meta
    return f"{opts.app_label}.view_{opts.model_name}"


def case_staff_can_view(*, user, obj: Model) -> bool:
    """Staff who may read a case — its files, documents, previews — are the staff its admin page opens to, role and
    department both (issue 14):

    - the model's view permission (a role's group carries it: a clerk or a department head for an application, the
      acceptance officer for an honor application, never the other roles of the same department) within the case's
      department, or on an object granted to them with django-guardian (``spec.view_perm``);
    - a role the spec scopes by another lookup (``role_department_fields``: a reviewing department) or by the object
      itself (``role_predicates``: a grid member of the case's grid), held by the user;
    - a superuser.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.is_staff:
        return False
    spec = spec_for(obj)
    one = type(obj)._default_manager.filter(pk=obj.pk)
    if user.is_superuser:
        return one.exists()
    if user.has_perm(case_view_permission(type(obj))) and queryset_for_department(
            user=user, queryset=one, department_field=spec.department_field, perm=spec.view_perm).exists():
        return True
    scoped_roles = set(spec.role_department_fields) | set(spec.role_predicates)
    if scoped_roles and actor_has_case_role(user=user, obj=obj, roles=scoped_roles):
        return True
    # The rows the spec opens besides departments (a command centre's escalated cases): whoever the admin page opens
    # to reads the case's files too (review finding, issue 17).
    extra = spec.staff_visibility(user) if spec.staff_visibility is not None else None
    return extra is not None and one.filter(extra).exists()


def case_can_view(*, user, obj: Model) -> bool:
    """The owner (applicant), or staff in a role that may see it (``case_staff_can_view``), or a superuser."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if case_is_owner(user=user, obj=obj):
        return True
    return case_staff_can_view(user=user, obj=obj)


def case_get_for_user(*, user, model: type[Model], pk) -> Model:
    """The case if ``user`` may see it; otherwise ``model.DoesNotExist`` (views answer 404, never 403)."""
    try:
        obj = model._default_manager.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise model.DoesNotExist from None
    if not case_can_view(user=user, obj=obj):
        raise model.DoesNotExist
    return obj


def actor_has_case_role(*, user, obj: Model, roles) -> bool:
    """Staff with one of ``roles`` who may see ``obj`` through that role's department (own department or granted),
    or a superuser. A role may act from another department than the case's (``role_department_fields``)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or not roles:
        return False
    if not user.is_staff:
        return False
    spec = spec_for(obj)
    one = type(obj)._default_manager.filter(pk=obj.pk)
    if user.is_superuser:
        return one.exists()
    held = set(user.groups.filter(name__in=[str(r) for r in roles]).values_list("name", flat=True))
    if any(spec.role_predicates[role](user, obj) for role in held if role in spec.role_predicates):
        return True
    held -= set(spec.role_predicates)
    fields = {spec.role_department_fields.get(role, spec.department_field) for role in held}
    return any(queryset_for_department(user=user, queryset=one, department_field=field, perm=spec.view_perm).exists()
               for field in fields)


def actor_may_perform(*, user, obj: Model, transition: Transition) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if transition.owner and case_is_owner(user=user, obj=obj):
        return True
    if not actor_has_case_role(user=user, obj=obj, roles=transition.roles):
        return False
    return transition.allowed is None or bool(transition.allowed(obj=obj, user=user, transition=transition.name))


def transitions_available(*, user, obj: Model) -> list[Transition]:
    """The steps ``user`` may take on ``obj`` now, by a button or a page (internal steps have no door)."""
    spec = spec_for(obj)
    state = getattr(obj, spec.state_field)
    return [t for t in spec.available_from(state)
            if not t.internal and actor_may_perform(user=user, obj=obj, transition=t)]


def timeline_for_staff(*, obj: Model) -> QuerySet:
    return TimelineEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")


def timeline_public(*, obj: Model) -> list[dict]:
    """The applicant's view: what happened and when, the public comment, who acted only as a role; no staff names,
    no internal notes, no edits of internal data."""
    rows = []
    for entry in timeline_for_staff(obj=obj).exclude(kind=EntryKind.EDIT):
        rows.append({
            "at": entry.created_at,
            "label": stored_text(entry.public_label),  # stored in the writer's language, read in the reader's
            "to_state": entry.to_state,
            "comment": entry.comment,
            "by": _("Applicant") if entry.actor_is_owner else _("Handling department"),
        })
    return rows
