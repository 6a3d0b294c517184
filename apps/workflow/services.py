import contextlib
import contextvars
import dataclasses
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .constants import EntryKind
from .exceptions import AlreadyHandled, TransitionForbidden, TransitionInvalid
from .models import TimelineEntry
from .selectors import actor_may_perform, case_is_owner
from .spec import spec_for

# The transitions whose effects are running in this context, innermost last, as "app_label.model.name": an internal
# transition runs only inside one of the steps it names in ``run_by``.
_RUNNING = contextvars.ContextVar("workflow_running", default=())

REQUIREMENT_LABELS = {
    "reason": gettext_lazy("the reasons"),
    "items": gettext_lazy("the items to correct"),
    "result": gettext_lazy("the result"),
    "opinion": gettext_lazy("the written opinion"),
    "source": gettext_lazy("the source of the listing"),
    "listed_on": gettext_lazy("the date of the listing"),
}


def timeline_record(
    *,
    obj: Model,
    actor,
    kind: str,
    public_label: str = "",
    comment: str = "",
    internal_note: str = "",
    transition: str = "",
    from_state: str = "",
    to_state: str = "",
    data: dict | None = None,
) -> TimelineEntry:
    return TimelineEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_is_owner=bool(actor is not None and case_is_owner(user=actor, obj=obj)),
        public_label=str(public_label),
        comment=comment,
        internal_note=internal_note,
        transition=transition,
        from_state=from_state,
        to_state=to_state,
        data=data or {},
    )


def timeline_record_system(*, entries: list[tuple[Model, str, str]]) -> None:
    """Entries no person made (a calendar entry moved a date), many at once: (case, kind, public label)."""
    TimelineEntry.objects.bulk_create([
        TimelineEntry(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk), kind=kind,
                      actor=None, actor_is_owner=False, public_label=str(label))
        for obj, kind, label in entries
    ], batch_size=1000)


def _json_safe(params) -> dict:
    """What the timeline keeps of the parameters: reasons, items, dates; uploads and objects are left out (a model
    instance is kept as its primary key)."""
    if params is None:
        return {}
    safe = {}
    for item in dataclasses.fields(params):
        value = _json_value(getattr(params, item.name))
        if value is not _UNSAFE:
            safe[item.name] = value
    return safe


_UNSAFE = object()


def _json_value(value):
    """A model instance as its pk, a dataclass as its fields, lists element by element; what JSON cannot hold (an
    upload) as _UNSAFE, left out."""
    if isinstance(value, Model):
        return value.pk
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: v for f in dataclasses.fields(value)
                if (v := _json_value(getattr(value, f.name))) is not _UNSAFE}
    if isinstance(value, (list, tuple)):
        return [v for v in (_json_value(x) for x in value) if v is not _UNSAFE]
    try:
        return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    except (TypeError, ValueError):
        return _UNSAFE


def _state_label(model, state):
    spec = spec_for(model)
    field = model._meta.get_field(spec.state_field)
    return str(dict(field.flatchoices).get(state, state))


# CONVENTIONS 18: every written text of a step — the comment, the staff note, the reasons, an opinion, a result — is
# bounded at the one door, whichever form or API sent it (a decision's reasons fit a page of the notice many times).
TEXT_MAX = 5000


def _bound_texts(*, comment: str, internal_note: str, params) -> None:
    texts = [("comment", comment), ("internal_note", internal_note)]
    if params is not None:
        texts += [(f.name, getattr(params, f.name)) for f in dataclasses.fields(params)]
    for name, value in texts:
        if isinstance(value, str) and len(value) > TEXT_MAX:
            raise TransitionInvalid(
                _("This text is too long: at most %(max)s characters, it has %(n)s. Shorten it and confirm again.")
                % {"max": TEXT_MAX, "n": len(value)}, field=name)


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, (list, tuple, dict)) and not value)


def row_lock(model: type[Model], pk, *, select_related=()) -> Model:
    """The row, locked for this transaction (``select_for_update``)."""
    queryset = model._default_manager.select_for_update(of=("self",) if select_related else ())
    if select_related:
        queryset = queryset.select_related(*select_related)
    return queryset.get(pk=pk)


@transaction.atomic
def transition_perform(*, actor, obj: Model, name: str, comment: str = "", internal_note: str = "",
                       params=None) -> Model:
    """The one door of every state change: run the declared transition ``name`` on ``obj``.

    Locks the case's parents (outermost first, ADR 0003) and then its row, re-checks actor, state and the required
    parameters, changes the state, records the timeline entry and runs the transition's effect — all in one
    transaction. ``params`` is an instance of the transition's ``params`` dataclass (a missing one is made from its
    defaults). Returns the locked, updated instance. Raises AlreadyHandled, TransitionForbidden or TransitionInvalid;
    nothing is written when it raises.
    """
    spec = spec_for(obj)
    transition = spec.get(name)
    model = type(obj)
    locked = case_lock(obj)
    # Actor first: someone who may not act learns nothing about the current state. An internal transition runs only
    # inside the effect of a step it names (``run_by``), whose actor was checked there (a reviewer's opinion that
    # completes a round moves the application on; a revocation stops the applications and their reviews).
    if transition.internal:
        if not set(_RUNNING.get()) & transition.run_by:
            raise TransitionForbidden(_("You may not do this on this case."))
    elif not actor_may_perform(user=actor, obj=locked, transition=transition):
        raise TransitionForbidden(_("You may not do this on this case."))
    state = getattr(locked, spec.state_field)
    if state not in transition.sources:
        raise AlreadyHandled(
            _("This case has already been handled: it is now “%(state)s”. Reload the page to see its current state.")
            % {"state": _state_label(model, state)}
        )
    if transition.params is None:
        if params is not None:
            raise TypeError(f"{name} takes no parameters")
    else:
        if params is None:
            params = transition.params()
        if not isinstance(params, transition.params):
            raise TypeError(f"{name} takes {transition.params.__name__}, not {type(params).__name__}")
        if "reason" in transition.requires and _is_empty(params.reason):
            # The reasons of a refusal or denial are what the applicant is told: the public comment, unless given apart.
            params = dataclasses.replace(params, reason=comment)
        for item in transition.requires:
            if _is_empty(getattr(params, item)):
                label = REQUIREMENT_LABELS.get(item, item)
                raise TransitionInvalid(_("Please fill in %(item)s.") % {"item": label}, field=item)
    _bound_texts(comment=comment, internal_note=internal_note, params=params)
    if transition.check is not None:
        # The transition's own conditions, on the case as it is (before the state moves): raises TransitionInvalid.
        transition.check(obj=locked, actor=actor, params=params)
    setattr(locked, spec.state_field, transition.target)
    fields = [spec.state_field]
    if any(getattr(f, "auto_now", False) and f.name == "updated_at" for f in model._meta.concrete_fields):
        fields.append("updated_at")
    locked.save(update_fields=fields)
    # The entry first, then the effect: a step the effect runs in turn (立案 → 派遣) follows it on the timeline.
    timeline_record(
        obj=locked, actor=actor, kind=EntryKind.TRANSITION, transition=transition.name,
        public_label=transition.public_label or transition.label, comment=comment, internal_note=internal_note,
        from_state=state, to_state=transition.target, data=_json_safe(params),
    )
    if transition.effect is not None:
        with step_running(model=model, name=transition.name):
            transition.effect(obj=locked, actor=actor, params=params)
    return locked


@contextlib.contextmanager
def step_running(*, model, name: str):
    """Run the code inside as the step ``name`` of ``model``, for a step that is a service rather than a declared
    transition (a grid report, which is the case's creation): the internal transitions that name it in ``run_by``
    may then run — as they run inside a transition's effect."""
    token = _RUNNING.set((*_RUNNING.get(), transition_key(model, name)))
    try:
        yield
    finally:
        _RUNNING.reset(token)


def transition_key(model, name: str) -> str:
    """How ``run_by`` names a step: "app_label.model.transition"."""
    return f"{model._meta.app_label}.{model._meta.model_name}.{name}"


def case_lock(obj: Model) -> Model:
    """Lock a case the way every path does (ADR 0003): its parents first, outermost first, then its own row. Services
    that change a case outside a transition (a draft's edits) lock it through here too."""
    spec = spec_for(obj)
    if spec.parents is not None:
        for parent_model, parent_pk in spec.parents(obj):
            if parent_pk is not None:
                list(parent_model._default_manager.select_for_update().filter(pk=parent_pk).values_list("pk"))
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


@transaction.atomic
def edit_record(*, actor, obj: Model, changes: dict, comment: str = "", internal_note: str = "") -> TimelineEntry:
    """Record an edit of substance: ``changes`` maps a field name to (old, new)."""
    return timeline_record(
        obj=obj, actor=actor, kind=EntryKind.EDIT, public_label=_("Edited"), comment=comment,
        internal_note=internal_note, data={"changes": {k: [str(a), str(b)] for k, (a, b) in changes.items()}},
    )
