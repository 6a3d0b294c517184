"""The disclosure catalogue's declared transitions: officers draft and submit, the reviewing office publishes or
returns with reasons; editing a published catalogue opens a new draft. ``transition_perform`` runs them (ADR 0003)."""
from django.utils.translation import gettext_lazy as _

from apps.organizations.constants import Role
from apps.workflow.spec import Consequences, Reason, Transition, WorkflowSpec, workflow_register

from . import services
from .constants import KEEPER_ROLES, CatalogueStatus
from .models import Catalogue

workflow = workflow_register(Catalogue, WorkflowSpec(
    transitions=[
        Transition("submit", {CatalogueStatus.DRAFT, CatalogueStatus.RETURNED}, CatalogueStatus.SUBMITTED,
                   _("Submit for review"), roles=KEEPER_ROLES, effect=services.on_review_step,
                   opinion_label=_("Note for the reviewing office"),
                   consequences=Consequences(
                       told=_("The reviewing office's disclosure reviewers, by an in-site message."),
                       seen=_("Nothing changes for the public until the office publishes it."))),
        Transition("publish", {CatalogueStatus.SUBMITTED}, CatalogueStatus.PUBLISHED, _("Publish"),
                   roles={Role.DISCLOSURE_REVIEWER}, effect=services.on_publish,
                   consequences=Consequences(
                       document=_("A new numbered version of the catalogue is frozen from its current entries; its "
                                  "spreadsheet and PDF table are produced after confirmation."),
                       told=_("The agency's disclosure officers, by an in-site message."),
                       seen=_("The public pages and the API show the new version at once; earlier versions are "
                              "kept."))),
        Transition("return", {CatalogueStatus.SUBMITTED}, CatalogueStatus.RETURNED, _("Return with reasons"),
                   roles={Role.DISCLOSURE_REVIEWER}, params=Reason, requires=("reason",),
                   effect=services.on_review_step,
                   consequences=Consequences(
                       told=_("The agency's disclosure officers, by an in-site message with your reasons."),
                       seen=_("Nothing changes for the public: the published version stays."))),
        # An edit of a published catalogue opens a new draft (services._lock_for_edit); the public keeps the
        # published version meanwhile.
        Transition("revise", {CatalogueStatus.PUBLISHED}, CatalogueStatus.DRAFT, _("Start a revision"),
                   roles=KEEPER_ROLES, opinion_label="",
                   consequences=Consequences(
                       seen=_("The catalogue becomes a draft again; the public keeps the published version until "
                              "the next publication."))),
    ],
    owner_field="owner",  # nobody outside the agencies acts on a catalogue
    role_department_fields={Role.DISCLOSURE_REVIEWER: "reviewing_department"},
    # No applicant: the comment is read by the agency that fills in the catalogue.
    opinion_label=_("Opinion for the agency that fills in the catalogue"),
    reason_label=_("Reasons for the agency that fills in the catalogue"),
))
