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

REQUIREMENT_LABELS = {
    "reason": gettext_lazy("the reasons"),
    "items": gettext_lazy("the items to correct"),
    "result": gettext_lazy("the result"),
    "extension_reason": gettext_lazy("the reason for the extension"),
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


def _json_safe(data: dict) -> dict:
    """Keep what can be recorded as JSON (reasons, items); leave out uploads and objects."""
    safe = {}
    for key, value in data.items():
        try:
            json.dumps(value, cls=DjangoJSONEncoder)
        except TypeError:
            continue
        safe[key] = value
    return safe


def _state_label(model, state):
    spec = spec_for(model)
    field = model._meta.get_field(spec.state_field)
    return str(dict(field.flatchoices).get(state, state))


@transaction.atomic
def transition_perform(*, actor, obj: Model, name: str, comment: str = "", internal_note: str = "",
                       data: dict | None = None) -> Model:
    """Run the declared transition ``name`` on ``obj``: lock the row, re-check state, actor and requirements, change
    the state, run the transition's effect and record the timeline entry — all in one transaction.

    Returns the locked, updated instance. Raises AlreadyHandled, TransitionForbidden or TransitionInvalid; nothing is
    written when it raises.
    """
    spec = spec_for(obj)
    transition = spec.get(name)
    model = type(obj)
    locked = model._default_manager.select_for_update().get(pk=obj.pk)
    # Actor first: someone who may not act learns nothing about the current state.
    if not actor_may_perform(user=actor, obj=locked, transition=transition):
        raise TransitionForbidden(_("You may not do this on this case."))
    state = getattr(locked, spec.state_field)
    if state not in transition.sources:
        raise AlreadyHandled(
            _("This case has already been handled: it is now “%(state)s”. Reload the page to see its current state.")
            % {"state": _state_label(model, state)}
        )
    data = dict(data or {})
    if "reason" in transition.requires and not data.get("reason"):
        # The reasons of a refusal or denial are what the applicant is told: the public comment, unless given apart.
        data["reason"] = comment
    for item in transition.requires:
        value = data.get(item)
        if value is None or (isinstance(value, str) and not value.strip()) or value in ([], {}):
            label = REQUIREMENT_LABELS.get(item, item)
            raise TransitionInvalid(_("Please fill in %(item)s.") % {"item": label}, field=item)
    setattr(locked, spec.state_field, transition.target)
    locked.save(update_fields=[spec.state_field])
    if transition.effect is not None:
        transition.effect(locked, actor, data)
    timeline_record(
        obj=locked, actor=actor, kind=EntryKind.TRANSITION, transition=transition.name,
        public_label=transition.public_label or transition.label, comment=comment, internal_note=internal_note,
        from_state=state, to_state=transition.target,
        data=_json_safe(data),
    )
    return locked


@transaction.atomic
def edit_record(*, actor, obj: Model, changes: dict, comment: str = "", internal_note: str = "") -> TimelineEntry:
    """Record an edit of substance: ``changes`` maps a field name to (old, new)."""
    return timeline_record(
        obj=obj, actor=actor, kind=EntryKind.EDIT, public_label=_("Edited"), comment=comment,
        internal_note=internal_note, data={"changes": {k: [str(a), str(b)] for k, (a, b) in changes.items()}},
    )
