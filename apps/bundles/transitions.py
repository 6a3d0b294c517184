"""The bundle application's declared transitions (ADR 0003, docs/adr/0007-bundles.md): the applicant submits once;
the bundle completes when its last item ends, run by that item's own step."""
from django.utils.translation import gettext_lazy as _

from apps.workflow.spec import Transition, WorkflowSpec, workflow_register

from . import services
from .constants import BundleStatus
from .models import BundleApplication

# The steps of an item (apps/applications/transitions.py) after which it may have been the bundle's last open one.
ITEM_ENDING_STEPS = {f"applications.application.{name}" for name in ("complete", "refuse", "deny", "withdraw",
                                                                     "cancel")}

workflow = workflow_register(BundleApplication, WorkflowSpec(
    transitions=[
        Transition("submit", {BundleStatus.DRAFT}, BundleStatus.SUBMITTED, _("Submit"), owner=True,
                   params=services.BundleDeclaration, public_label=_("Bundle submitted: one application per item"),
                   check=services.check_submit, effect=services.on_submit),
        Transition("complete", {BundleStatus.SUBMITTED}, BundleStatus.COMPLETED, _("Complete"), internal=True,
                   run_by=ITEM_ENDING_STEPS, public_label=_("Every item has ended: combined result notice issued"),
                   effect=services.on_complete),
    ],
    co_owner_fields=("agent",),
    label_related=("bundle",),
))
