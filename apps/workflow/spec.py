"""Declared state machines (docs/adr/0003-one-door-per-state-change.md).

Each case type declares its ``WorkflowSpec`` in its app's ``transitions.py`` — beside ``services.py``, never in
``models.py`` — and registers it with ``workflow_register(Model, spec)`` when the app is ready. Each ``Transition``
says where it may start, where it goes, who may perform it, the typed parameters it takes and the effect it runs;
``apps.workflow.services.transition_perform`` is the one function that runs them (parents locked first, the row
locked, atomic, recorded). Nothing else assigns the status field.
"""
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Reason:
    """The parameters of a refusal, a denial, a return: the reasons the other side is told."""

    reason: str = ""


@dataclass(frozen=True)
class Consequences:
    """What a step does, told to the person before they confirm it (issue 19): declared once per transition and shown
    by the one transition form (templates/admin/workflow/transition_form.html). Each part is a sentence; empty parts
    are left out. What the text says must be what the effect does — the effect stays the rule."""

    document: str | Promise = ""  # the document issued (受理通知书 …)
    clock: str | Promise = ""  # the clock that starts, stops, pauses or restarts, with its limit
    told: str | Promise = ""  # who is told, and how (SMS, in-site message, e-mail)
    seen: str | Promise = ""  # what the owner (applicant, enterprise, reporter) sees on their page

    def parts(self) -> list[tuple[str | Promise, str | Promise]]:
        labels = ((pgettext_lazy("consequence", "Document"), self.document),
                  (pgettext_lazy("consequence", "Time limit"), self.clock),
                  (pgettext_lazy("consequence", "Who is told"), self.told),
                  (pgettext_lazy("consequence", "What they see"), self.seen))
        return [(label, text) for label, text in labels if text]


@dataclass(frozen=True)
class Escalation:
    """The ladder an overdue clock climbs (issue 17), run by the deadline sweep. Level 1 is overdue itself (told by
    the sweep's own message); ``delays()`` (read when the sweep runs: settings may change) gives, for each further
    level, how long after the due moment the clock climbs to it. ``escalated(items=[(case, deadline, old_level,
    new_level)], now=)`` runs in the sweep's batch transaction, once per batch and case type, for the clocks that
    climbed: what the case type does then (its copy of the level, timeline lines, whom to tell) — in bulk, never a
    query per row."""

    delays: Callable
    escalated: Callable


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset
    target: str
    label: str | Promise
    roles: frozenset = frozenset()  # staff roles allowed, always within their department scope
    owner: bool = False  # the applicant (owner) may perform it
    params: type | None = None  # a dataclass: what the transition takes besides the comment (typed, not a dict)
    requires: tuple = ()  # fields of ``params`` that must be non-empty, e.g. ("reason",)
    public_label: str | Promise | None = None  # what the applicant sees on the timeline (defaults to label)
    # check(obj=, actor=, params=) raises TransitionInvalid when the case does not meet the transition's conditions;
    # it runs on the locked case before the state moves. effect(obj=, actor=, params=) does what the step does
    # (clocks, documents, notifications, follow-on steps) after the state moved and the timeline entry is written.
    check: Callable | None = None
    effect: Callable | None = None
    # allowed(obj=, user=, transition=name) -> bool: who may take it on this case beyond the role — a rule the case's own configuration
    # sets (an item's sign-off chain says which role signs, and that the signer is not the proposer). Consulted with
    # the role, so a person it refuses has no button and the door refuses them.
    allowed: Callable | None = None
    # Run only by the effect of the steps named in ``run_by`` ("app_label.model.transition": moved on by a review
    # round, stopped by a revocation), never by a button.
    internal: bool = False
    run_by: frozenset = frozenset()
    # What the step does, said on its form before the clerk confirms (every button has one: tests/workflow).
    consequences: Consequences | None = None
    # The label of the form's comment field, saying who reads it; None: the spec's (opinion_label, or reason_label
    # when the step requires reasons); "": the step takes no comment.
    opinion_label: str | Promise | None = None

    def __post_init__(self):
        object.__setattr__(self, "sources", frozenset(self.sources))
        object.__setattr__(self, "roles", frozenset(str(r) for r in self.roles))
        object.__setattr__(self, "run_by", frozenset(self.run_by))
        if self.internal != bool(self.run_by):
            raise TypeError(f"{self.name}: an internal transition names the steps that run it (run_by), and only it")
        if self.params is not None and not is_dataclass(self.params):
            raise TypeError(f"{self.name}: params must be a dataclass")
        known = {f.name for f in fields(self.params)} if self.params is not None else set()
        if set(self.requires) - known:
            raise TypeError(f"{self.name}: requires {set(self.requires) - known} not in its params")


@dataclass
class WorkflowSpec:
    transitions: list[Transition]
    state_field: str = "status"
    owner_field: str = "applicant"
    # Others who act as the owner (帮办代办: the agent applying with the applicant's consent): they see the case and
    # take the owner's steps.
    co_owner_fields: tuple = ()
    department_field: str = "department"
    view_perm: str | None = None  # django-guardian permission that also grants staff access to one object
    # A role that acts from another department than the case's own (a reviewing office): role → its lookup.
    role_department_fields: dict = field(default_factory=dict)
    # A role scoped by the object itself rather than by a department (a grid member: the case's grid):
    # role → predicate(user, obj) -> bool, used instead of the department lookup.
    role_predicates: dict = field(default_factory=dict)
    # Rows some staff see besides their departments' (a grid member: the cases of their grids): user → Q or None.
    staff_visibility: Callable | None = None
    # The lock order (ADR 0003): parents(obj) -> [(model, pk), …], outermost first, locked before the case's own row,
    # so that every path takes a showcase before its applications and an application before its reviews.
    parents: Callable | None = None
    # deadline_moved(case=, deadline=, old_due=, new_due=) runs in the transaction that moved one of the case's
    # clocks after a calendar year was entered or corrected, after the generic record (deadline event, timeline line,
    # notification to the owner): what this case type owes the person besides (a written notice of the new date).
    deadline_moved: Callable | None = None
    # The escalation ladder of an overdue clock (Escalation), or None: overdue is told once, as for every case type.
    escalation: Escalation | None = None
    # The relations ``str(case)`` reads, fetched with the cases in batch work (the deadline sweep's messages).
    label_related: tuple = ()
    # Who reads the comment a staff step writes (it is on the owner's timeline): the form's label says so. Grid cases
    # have a reporter, catalogues only the agency that fills them in.
    opinion_label: str | Promise = _("Comment to the applicant")
    reason_label: str | Promise = _("Reasons (shown to the applicant)")
    by_name: dict = field(init=False)

    def __post_init__(self):
        self.by_name = {t.name: t for t in self.transitions}
        self.role_department_fields = {str(k): v for k, v in self.role_department_fields.items()}
        self.role_predicates = {str(k): v for k, v in self.role_predicates.items()}

    def department_fields(self) -> list[str]:
        """Every lookup through which some staff may see a case."""
        return list(dict.fromkeys([self.department_field, *self.role_department_fields.values()]))

    def comment_label(self, transition: Transition) -> str | Promise:
        """The label of the comment field on ``transition``'s form ("" when it takes no comment)."""
        if transition.opinion_label is not None:
            return transition.opinion_label
        return self.reason_label if "reason" in transition.requires else self.opinion_label

    def get(self, name: str) -> Transition:
        return self.by_name[name]

    def available_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources]


_REGISTRY: dict[type, WorkflowSpec] = {}


def workflow_register(model: type, spec: WorkflowSpec) -> WorkflowSpec:
    """Called once per case type from its app's ``transitions.py`` (imported by ``AppConfig.ready``)."""
    _REGISTRY[model] = spec
    return spec


def spec_for(obj_or_model) -> WorkflowSpec:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    for klass in model.__mro__:  # a proxy model or a subclass uses its concrete model's spec
        if klass in _REGISTRY:
            return _REGISTRY[klass]
    raise TypeError(f"{model!r} has no registered WorkflowSpec (see apps/<app>/transitions.py)")


def has_workflow(model) -> bool:
    try:
        spec_for(model)
    except TypeError:
        return False
    return True
