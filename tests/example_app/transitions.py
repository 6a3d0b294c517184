"""The example case's declared transitions: the pattern every case type copies (ADR 0003)."""
from apps.organizations.constants import Role
from apps.workflow.spec import Reason, Transition, WorkflowSpec, workflow_register

from . import services
from .models import ExampleCase, ExampleStatus

workflow_register(ExampleCase, WorkflowSpec(
    transitions=[
        Transition("accept", {ExampleStatus.SUBMITTED}, ExampleStatus.ACCEPTED, "受理", roles={Role.CLERK},
                   effect=services.on_accept),
        Transition("refuse", {ExampleStatus.SUBMITTED}, ExampleStatus.REFUSED, "不予受理", roles={Role.CLERK},
                   params=Reason, requires=("reason",), effect=services.on_refuse),
        Transition("complete", {ExampleStatus.ACCEPTED}, ExampleStatus.COMPLETED, "办结", roles={Role.CLERK},
                   effect=services.on_close),
        Transition("withdraw", {ExampleStatus.SUBMITTED, ExampleStatus.ACCEPTED}, ExampleStatus.WITHDRAWN,
                   "撤回", owner=True, effect=services.on_close),
    ],
    view_perm="example_app.view_examplecase",
))
