"""The disclosure catalogue's declared transitions: officers draft and submit, the reviewing office publishes or
returns with reasons; editing a published catalogue opens a new draft. ``transition_perform`` runs them (ADR 0003)."""
from django.utils.translation import gettext_lazy as _

from apps.organizations.constants import Role
from apps.workflow.spec import Reason, Transition, WorkflowSpec, workflow_register

from . import services
from .constants import CatalogueStatus
from .models import Catalogue

workflow = workflow_register(Catalogue, WorkflowSpec(
    transitions=[
        Transition("submit", {CatalogueStatus.DRAFT, CatalogueStatus.RETURNED}, CatalogueStatus.SUBMITTED,
                   _("Submit for review"), roles={Role.DISCLOSURE_OFFICER}, effect=services.on_review_step),
        Transition("publish", {CatalogueStatus.SUBMITTED}, CatalogueStatus.PUBLISHED, _("Publish"),
                   roles={Role.DISCLOSURE_REVIEWER}, effect=services.on_publish),
        Transition("return", {CatalogueStatus.SUBMITTED}, CatalogueStatus.RETURNED, _("Return with reasons"),
                   roles={Role.DISCLOSURE_REVIEWER}, params=Reason, requires=("reason",),
                   effect=services.on_review_step),
        # An edit of a published catalogue opens a new draft (services._lock_for_edit); the public keeps the
        # published version meanwhile.
        Transition("revise", {CatalogueStatus.PUBLISHED}, CatalogueStatus.DRAFT, _("Start a revision"),
                   roles={Role.DISCLOSURE_OFFICER}),
    ],
    owner_field="owner",  # nobody outside the agencies acts on a catalogue
    role_department_fields={Role.DISCLOSURE_REVIEWER: "reviewing_department"},
))
