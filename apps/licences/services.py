"""Writes of the licence registry: issuing (on completing an application, or registering a licence issued elsewhere
by its issuing department), and the effects of its transitions (suspend, reinstate, revoke: transitions.py)."""
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.upsert import upsert
from apps.documents.services import document_issue
from apps.notifications.services import notify
from apps.workflow.constants import EntryKind
from apps.workflow.services import timeline_record
from apps.workflow.spec import Reason

from .constants import LICENCE_DOCUMENT, HolderKind, LicenceStatus
from .exceptions import LicenceInvalid
from .models import Licence, LicenceKind, LicenceUse
from .selectors import holder_account_for


@dataclass(frozen=True)
class LicenceData:
    kind: LicenceKind
    holder_code: str
    holder_name: str
    number: str = ""  # empty: numbered here (a licence issued by the portal)
    valid_from: object = None  # a date; today by default
    valid_until: object = None  # a date; from the kind's validity by default


def _check_code(kind: LicenceKind, code: str) -> None:
    from apps.accounts.validators import validate_credit_code, validate_id_number

    validators = {HolderKind.CITIZEN: [validate_id_number], HolderKind.ENTERPRISE: [validate_credit_code],
                  HolderKind.EITHER: [validate_id_number, validate_credit_code]}[kind.holder]
    messages = []
    for validate in validators:
        try:
            validate(code)
            return
        except ValidationError as error:
            messages.extend(error.messages)
    raise LicenceInvalid(" ".join(dict.fromkeys(messages)), field="holder_code")


def _new_number(kind: LicenceKind, on) -> str:
    return f"{kind.number_prefix}{on:%Y%m%d}{secrets.randbelow(10 ** 6):06d}"


@transaction.atomic
def licence_issue(*, actor, data: LicenceData, issuing_department, application=None) -> Licence:
    """Issue (or register) a licence: checked, numbered when it has no number, its PDF with verification code and QR
    issued, its history begun, its holder told."""
    today = timezone.localdate()
    code = (data.holder_code or "").strip().upper()
    if issuing_department is None:
        raise LicenceInvalid(_("A licence is registered by its issuing department: your account has none."))
    if application is None:
        # A registration typed by staff; an applicant's code was checked when the account was registered.
        _check_code(data.kind, code)
        if data.kind.issuing_department_id and data.kind.issuing_department_id != issuing_department.pk:
            # Only the department that issues a kind of licence registers it (another could vouch for nothing).
            raise LicenceInvalid(_("A %(kind)s is registered by %(department)s only.") % {
                "kind": data.kind.name, "department": data.kind.issuing_department.name}, field="kind")
        if data.valid_from and data.valid_from > today:
            raise LicenceInvalid(_("A licence is registered once it is in force: the start cannot be in the future."),
                                 field="valid_from")
    if not (data.holder_name or "").strip():
        raise LicenceInvalid(_("Enter the holder's name."), field="holder_name")
    valid_from = data.valid_from or today
    valid_until = data.valid_until
    if valid_until is None and data.kind.validity_years:
        try:
            valid_until = valid_from.replace(year=valid_from.year + data.kind.validity_years) - timezone.timedelta(days=1)
        except ValueError:  # 29 February
            valid_until = valid_from.replace(month=2, day=28, year=valid_from.year + data.kind.validity_years)
    if valid_until is not None and valid_until < valid_from:
        raise LicenceInvalid(_("The licence cannot end before it begins."), field="valid_until")
    number = (data.number or "").strip() or _new_number(data.kind, today)
    if Licence.objects.filter(kind=data.kind, number=number).exists():
        raise LicenceInvalid(_("A %(kind)s numbered %(number)s is already registered.")
                             % {"kind": data.kind.name, "number": number}, field="number")
    account = application.applicant if application is not None else holder_account_for(code)
    try:
        with transaction.atomic():
            licence = Licence.objects.create(
                kind=data.kind, number=number, holder_code=code, holder_name=data.holder_name.strip(),
                holder_account=account, issuing_department=issuing_department, valid_from=valid_from,
                valid_until=valid_until, application=application,
                registered_by=actor if getattr(actor, "pk", None) else None)
    except IntegrityError:
        raise LicenceInvalid(_("A %(kind)s numbered %(number)s is already registered.")
                             % {"kind": data.kind.name, "number": number}, field="number") from None
    validity = (_("valid from %(start)s until %(end)s") % {"start": valid_from.isoformat(), "end": valid_until.isoformat()}
                if valid_until else _("valid from %(start)s without a time limit") % {"start": valid_from.isoformat()})
    licence.document = document_issue(
        kind=LICENCE_DOCUMENT, obj=licence, department=issuing_department, actor=actor, title=data.kind.name,
        recipient=licence.holder_name,
        paragraphs=[_("Holder: %(name)s (%(code)s)") % {"name": licence.holder_name, "code": code},
                    _("Licence number: %(number)s") % {"number": number},
                    _("This electronic licence is %(validity)s. Its state today can be checked with the code below; "
                      "a suspended or revoked licence is shown as such.") % {"validity": validity}])
    licence.save(update_fields=["document"])
    timeline_record(obj=licence, actor=actor, kind=EntryKind.EDIT,
                    public_label=_("Issued") if application is not None or not data.number else _("Registered"),
                    comment=validity)
    if account is not None:
        notify(recipients=[account], title=_("New electronic licence: %(licence)s") % {"licence": licence},
               url=reverse("licences:mine"))
    return licence


def licences_link_holder(*, user) -> int:
    """A new account holds the licences registered under its ID number or credit code before it existed (its owner
    from now on: downloads, notices). Called by the account's registration."""
    from .selectors import holder_codes

    codes = holder_codes(user)
    if not codes:
        return 0
    return Licence.objects.filter(holder_code__in=codes, holder_account__isnull=True).update(holder_account=user)


def licence_use_record(*, application, material, licence) -> LicenceUse:
    """免提交 on submission: the material is the licence (the clerk of the application's department may read it)."""
    use, _created = LicenceUse.objects.get_or_create(application=application, material=material,
                                                      defaults={"licence": licence})
    return use


# --- transition effects (transitions.py) -------------------------------------------------------------------------

def _state_changed(licence, reason, title):
    licence.status_reason = reason
    licence.status_changed_at = timezone.now()
    licence.save(update_fields=["status_reason", "status_changed_at"])
    holder = licence.holder_account or holder_account_for(licence.holder_code)
    if holder is not None:
        notify(recipients=[holder], title=title % {"licence": licence}, body=reason,
               url=reverse("licences:mine"), sms=True)


def on_suspend(*, obj: Licence, actor, params: Reason):
    _state_changed(obj, params.reason, _("Licence suspended: %(licence)s"))


def on_reinstate(*, obj: Licence, actor, params=None):
    _state_changed(obj, "", _("Licence valid again: %(licence)s"))


def on_revoke(*, obj: Licence, actor, params: Reason):
    _state_changed(obj, params.reason, _("Licence revoked: %(licence)s"))


def check_issuing_department(*, obj: Licence, actor, params=None):
    """Only the issuing department changes a licence's state (a department that only used it may not)."""
    if not actor.is_superuser and actor.department_id != obj.issuing_department_id:
        raise LicenceInvalid(_("Only the issuing department may change this licence."))


__all__ = ["LicenceData", "licence_issue", "licence_use_record", "LicenceStatus"]


@transaction.atomic
def licence_kinds_load(*, rows: list[dict]) -> int:
    """Upsert the catalogue of kinds of licence (reference data) by code."""
    from apps.organizations.models import Department

    departments = Department.objects.in_bulk([row.get("issuing_department", "") for row in rows], field_name="code")
    upsert(LicenceKind, key="code", rows=[
        {"code": row["code"], "name": row["name"], "holder": row.get("holder", HolderKind.ENTERPRISE),
         "issuing_department": departments.get(row.get("issuing_department", "")),
         "validity_years": row.get("validity_years"), "number_prefix": row.get("number_prefix", "")}
        for row in rows])
    return len(rows)
