"""Reads of the licence registry. Who may see a licence (issue 15): its holder, its issuing department, and the
department handling an application that used it — no one else (another department gets 404)."""
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.organizations.constants import Role

from .constants import LicenceState
from .models import Licence, LicenceUse

STAFF_ROLES = {Role.CLERK, Role.DEPARTMENT_HEAD}


def holder_codes(user) -> list[str]:
    """The ID number or credit code(s) an account holds licences under — none until its identity is verified
    (ADR 0011: anyone can type a stranger's number when registering)."""
    codes = []
    if getattr(user, "identity_verified_at", None) is None:
        return codes
    for profile, field in (("citizen_profile", "id_number"), ("enterprise_profile", "credit_code")):
        if hasattr(user, profile):
            codes.append(getattr(getattr(user, profile), field).upper())
    return codes


def holder_account_for(code: str):
    """The portal account of a holder's ID number or credit code, if one exists."""
    from django.contrib.auth import get_user_model

    code = (code or "").strip().upper()
    return (get_user_model().objects.filter(Q(citizen_profile__id_number=code) | Q(enterprise_profile__credit_code=code),
                                            identity_verified_at__isnull=False).first())


def licences_of_holder(*, user) -> QuerySet:
    """我的证照: every licence held under the account's code (or issued to the account)."""
    codes = holder_codes(user) if getattr(user, "is_authenticated", False) else []
    if not codes:
        return Licence.objects.none()
    return (Licence.objects.filter(Q(holder_code__in=codes) | Q(holder_account=user))
            .select_related("kind", "issuing_department", "document").order_by("kind__name", "-valid_from"))


def _staff_q(user) -> Q | None:
    if user.is_superuser:
        return Q()
    if not (user.is_active and user.is_staff and user.department_id):
        return None
    if not user.groups.filter(name__in=STAFF_ROLES).exists():
        return None
    used_here = LicenceUse.objects.filter(licence=OuterRef("pk"), application__department_id=user.department_id)
    return Q(issuing_department_id=user.department_id) | Q(Exists(used_here))


def licences_for_staff(*, user) -> QuerySet:
    """The licences a clerk or department head reads: issued by their department, or used by an application their
    department handles."""
    condition = _staff_q(user)
    if condition is None:
        return Licence.objects.none()
    return Licence.objects.filter(condition)


def licence_can_view(*, user, licence: Licence) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if licence.holder_account_id == user.pk or licence.holder_code in holder_codes(user):
        return True
    return licences_for_staff(user=user).filter(pk=licence.pk).exists()


def licence_get_for_user(*, user, pk) -> Licence:
    try:
        licence = Licence.objects.select_related("kind", "issuing_department", "document").get(pk=pk)
    except (Licence.DoesNotExist, ValueError, TypeError):
        raise Licence.DoesNotExist from None
    if not licence_can_view(user=user, licence=licence):
        raise Licence.DoesNotExist
    return licence


def licence_problem(licence: Licence, on=None) -> str:
    """Why a licence cannot stand in for a material today ("" when it can)."""
    state = licence.state(on)
    if state == LicenceState.VALID:
        return ""
    if state == LicenceState.EXPIRED:
        return _("%(licence)s expired on %(date)s.") % {"licence": licence, "date": licence.valid_until.isoformat()}
    when = timezone.localdate(licence.status_changed_at).isoformat() if licence.status_changed_at else ""
    if state == LicenceState.REVOKED:
        return _("%(licence)s was revoked on %(date)s: %(reason)s") % {
            "licence": licence, "date": when, "reason": licence.status_reason}
    return _("%(licence)s is suspended since %(date)s: %(reason)s") % {
        "licence": licence, "date": when, "reason": licence.status_reason}


def licence_for_material(*, holder, holder_code: str, kind_id: int, on=None) -> tuple[Licence | None, str]:
    """免提交: the holder's licence of ``kind`` valid on ``on`` (today) and "" — or, when none is valid, the most
    recent one (None if there is none) with why it cannot be used. ``holder`` is the applicant's account: none
    is used for an account whose identity is not verified (ADR 0011)."""
    if getattr(holder, "identity_verified_at", None) is None:
        return None, ""
    on = on or timezone.localdate()
    candidates = list(Licence.objects.filter(holder_code=(holder_code or "").upper(), kind_id=kind_id,
                                             valid_from__lte=on)
                      .select_related("kind").order_by("-valid_from", "-id")[:20])
    for licence in candidates:
        if licence.state(on) == LicenceState.VALID:
            return licence, ""
    if candidates:
        return candidates[0], licence_problem(candidates[0], on)
    return None, ""


def licence_document_state(licence) -> dict:
    """For the public verification page: the licence's state today (a revoked licence says so, and since when; the
    reason is the holder's and the departments' to read, not the public's)."""
    state = licence.state()
    if state == LicenceState.VALID:
        note = (_("valid until %(date)s") % {"date": licence.valid_until.isoformat()} if licence.valid_until
                else _("valid without a time limit"))
    elif state == LicenceState.EXPIRED:
        note = _("expired on %(date)s") % {"date": licence.valid_until.isoformat()}
    else:
        note = _("since %(date)s") % {"date": timezone.localdate(licence.status_changed_at).isoformat()
                                      if licence.status_changed_at else ""}
    return {"label": str(LicenceState(state).label), "ok": state == LicenceState.VALID, "note": note}


def licences_issued_on(*, application) -> QuerySet:
    """The licences an application's decision issued (its result)."""
    return Licence.objects.filter(application=application).select_related("kind", "document")


def licence_uses(*, application) -> QuerySet:
    return LicenceUse.objects.filter(application=application).select_related("licence__kind", "material")
