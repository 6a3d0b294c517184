"""A licence's declared transitions: its issuing department's head suspends, reinstates or revokes it (with the
reason told to the holder); a follow-up check that finds a commitment false revokes it (issue 15)."""
from django.utils.translation import gettext_lazy as _

from apps.organizations.constants import Role
from apps.workflow.spec import Consequences, Reason, Transition, WorkflowSpec, workflow_register

from . import services
from .constants import LicenceStatus
from .models import Licence

HEAD = {Role.DEPARTMENT_HEAD}


def _staff_may_see(user, licence) -> bool:
    """A clerk or head of the issuing department, or of a department whose application used the licence."""
    from .selectors import licences_for_staff

    return licences_for_staff(user=user).filter(pk=licence.pk).exists()

workflow = workflow_register(Licence, WorkflowSpec(
    transitions=[
        Transition("suspend", {LicenceStatus.VALID}, LicenceStatus.SUSPENDED, _("Suspend"), roles=HEAD,
                   params=Reason, requires=("reason",), public_label=_("Suspended"),
                   check=services.check_issuing_department, effect=services.on_suspend,
                   consequences=Consequences(
                       told=_("The holder: an in-site message and an SMS with your reason."),
                       seen=_("The verification page and every application that would use it say it is suspended."))),
        Transition("reinstate", {LicenceStatus.SUSPENDED}, LicenceStatus.VALID, _("Reinstate"), roles=HEAD,
                   public_label=_("Valid again"), check=services.check_issuing_department,
                   effect=services.on_reinstate,
                   consequences=Consequences(told=_("The holder: an in-site message and an SMS."))),
        Transition("revoke", {LicenceStatus.VALID, LicenceStatus.SUSPENDED}, LicenceStatus.REVOKED, _("Revoke"),
                   roles=HEAD, params=Reason, requires=("reason",), public_label=_("Revoked"),
                   check=services.check_issuing_department, effect=services.on_revoke,
                   consequences=Consequences(
                       told=_("The holder: an in-site message and an SMS with your reason."),
                       seen=_("The verification page says it is revoked, with the date and reason; no application "
                              "can use it any more."))),
        # The decision that issued it was revoked (a commitment found false): run by that revocation only.
        Transition("revoke_by_decision", {LicenceStatus.VALID, LicenceStatus.SUSPENDED}, LicenceStatus.REVOKED,
                   _("Revoke (its decision revoked)"), roles=HEAD, params=Reason, requires=("reason",), internal=True,
                   run_by={"applications.application.revoke_commitment"}, public_label=_("Revoked"),
                   effect=services.on_revoke),
    ],
    owner_field="holder_account",
    department_field="issuing_department",
    view_perm="licences.view_licence",
    role_predicates={Role.CLERK: _staff_may_see, Role.DEPARTMENT_HEAD: _staff_may_see},
    opinion_label=_("Comment to the holder"),
    reason_label=_("Reasons (shown to the holder)"),
))
