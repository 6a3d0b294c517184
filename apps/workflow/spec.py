"""Declared state machines.

A case model sets ``workflow = WorkflowSpec(...)`` as a class attribute. Each ``Transition`` says where it may start,
where it goes, who may perform it and what it requires; ``apps.workflow.services.transition_perform`` is the one
function that runs them (locked, atomic, recorded). Nothing else assigns the status field.
"""
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset
    target: str
    label: str | Promise
    roles: frozenset = frozenset()  # staff roles allowed, always within their department scope
    owner: bool = False  # the applicant (owner) may perform it
    requires: tuple = ()  # names of data items that must be non-empty, e.g. ("reason",)
    public_label: str | Promise | None = None  # what the applicant sees on the timeline (defaults to label)
    effect: Callable | None = None  # effect(obj, actor, data) runs inside the transaction, after the checks

    def __post_init__(self):
        object.__setattr__(self, "sources", frozenset(self.sources))
        object.__setattr__(self, "roles", frozenset(str(r) for r in self.roles))


@dataclass
class WorkflowSpec:
    transitions: list[Transition]
    state_field: str = "status"
    owner_field: str = "applicant"
    department_field: str = "department"
    view_perm: str | None = None  # django-guardian permission that also grants staff access to one object
    # A role that acts from another department than the case's own (a reviewing office): role → its lookup.
    role_department_fields: dict = field(default_factory=dict)
    # A role scoped by the object itself rather than by a department (a grid member: the case's grid):
    # role → predicate(user, obj) -> bool, used instead of the department lookup.
    role_predicates: dict = field(default_factory=dict)
    # Rows some staff see besides their departments' (a grid member: the cases of their grids): user → Q or None.
    staff_visibility: Callable | None = None
    by_name: dict = field(init=False)

    def __post_init__(self):
        self.by_name = {t.name: t for t in self.transitions}
        self.role_department_fields = {str(k): v for k, v in self.role_department_fields.items()}
        self.role_predicates = {str(k): v for k, v in self.role_predicates.items()}

    def department_fields(self) -> list[str]:
        """Every lookup through which some staff may see a case."""
        return list(dict.fromkeys([self.department_field, *self.role_department_fields.values()]))

    def get(self, name: str) -> Transition:
        return self.by_name[name]

    def available_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources]


def spec_for(obj_or_model) -> WorkflowSpec:
    spec = getattr(obj_or_model, "workflow", None)
    if not isinstance(spec, WorkflowSpec):
        raise TypeError(f"{obj_or_model!r} declares no WorkflowSpec")
    return spec
