"""A tiny case type wired to every shared building block — the model the services copy.

submitted → accepted → completed; submitted → refused (reasons, PDF); submitted/accepted → withdrawn (applicant).
Acceptance must happen within 5 working days of submission (行政许可法 art. 32).
"""
from django.conf import settings
from django.db import models

from apps.organizations.constants import Role
from apps.workflow.spec import Transition, WorkflowSpec


class ExampleStatus(models.TextChoices):
    SUBMITTED = "submitted", "已提交"
    ACCEPTED = "accepted", "已受理"
    REFUSED = "refused", "不予受理"
    COMPLETED = "completed", "已办结"
    WITHDRAWN = "withdrawn", "已撤回"


def _accept_effect(case, actor, data):
    from tests.example_app import services

    services.on_accept(case=case, actor=actor)


def _refuse_effect(case, actor, data):
    from tests.example_app import services

    services.on_refuse(case=case, actor=actor, reason=data["reason"])


def _close_effect(case, actor, data):
    from tests.example_app import services

    services.on_close(case=case, actor=actor)


class ExampleCase(models.Model):
    reference = models.CharField(max_length=32, unique=True)
    title = models.CharField(max_length=200)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("organizations.Department", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=ExampleStatus.choices, default=ExampleStatus.SUBMITTED)
    submitted_at = models.DateTimeField()

    workflow = WorkflowSpec(
        transitions=[
            Transition("accept", {ExampleStatus.SUBMITTED}, ExampleStatus.ACCEPTED, "受理", roles={Role.CLERK},
                       effect=_accept_effect),
            Transition("refuse", {ExampleStatus.SUBMITTED}, ExampleStatus.REFUSED, "不予受理", roles={Role.CLERK},
                       requires=("reason",), effect=_refuse_effect),
            Transition("complete", {ExampleStatus.ACCEPTED}, ExampleStatus.COMPLETED, "办结", roles={Role.CLERK},
                       effect=_close_effect),
            Transition("withdraw", {ExampleStatus.SUBMITTED, ExampleStatus.ACCEPTED}, ExampleStatus.WITHDRAWN,
                       "撤回", owner=True, effect=_close_effect),
        ],
        view_perm="example_app.view_examplecase",
    )

    def __str__(self):
        return f"{self.reference} {self.title}"
