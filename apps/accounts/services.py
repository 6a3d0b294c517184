from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.organizations.constants import Role

from .constants import AccountKind, IdentityMethod
from .exceptions import AccountError
from .models import CitizenProfile, EnterpriseProfile, User
from .validators import normalize_credit_code, normalize_id_number


@transaction.atomic
def citizen_register(*, phone: str, password: str, real_name: str, id_number: str, email: str = "") -> User:
    user = User(username=phone, phone=phone, email=(email or "").strip().lower(), kind=AccountKind.CITIZEN)
    user.set_password(password)
    user.save()
    CitizenProfile.objects.create(user=user, real_name=real_name.strip(), id_number=normalize_id_number(id_number))
    _licences_link(user)
    return user


def _licences_link(user):
    """The licences registered under the account's code before it existed become its own (issue 15) — once its
    identity is verified (ADR 0011): until then ``holder_codes`` is empty and nothing is linked."""
    from apps.licences.services import licences_link_holder

    licences_link_holder(user=user)


@transaction.atomic
def enterprise_register(
    *,
    phone: str,
    password: str,
    name: str,
    credit_code: str,
    legal_representative: str,
    contact_name: str,
    email: str = "",
) -> User:
    user = User(username=phone, phone=phone, email=(email or "").strip().lower(), kind=AccountKind.ENTERPRISE)
    user.set_password(password)
    user.save()
    EnterpriseProfile.objects.create(
        user=user,
        name=name.strip(),
        credit_code=normalize_credit_code(credit_code),
        legal_representative=legal_representative.strip(),
        contact_name=contact_name.strip(),
        contact_phone=phone,
    )
    _licences_link(user)
    return user


@transaction.atomic
def staff_upsert(
    *, username: str, password: str | None, full_name: str, department, roles: list[str], email: str = ""
) -> User:
    """Create or update a staff account with exactly the given roles (used by the demo data and by operators)."""
    user, created = User.objects.get_or_create(
        username=username, defaults={"kind": AccountKind.STAFF, "is_staff": True}
    )
    user.kind = AccountKind.STAFF
    user.is_staff = True
    user.first_name = full_name
    user.department = department
    user.email = email
    if created and password:
        user.set_password(password)
    user.save()
    groups = [Group.objects.get(name=Role(role).value) for role in roles]
    user.groups.set(groups)
    return user


# --- offline accounts (综合窗口 / 帮办代办, issue 16) ------------------------------------------------------------------
# A person who applies at a window or through an agent without an online account gets one with no usable password:
# their applications, messages and licences are kept under it, and they claim it later with the phone recorded
# (claim_code_send / account_claim).

def citizen_find_or_open(*, id_number: str, phone: str, real_name: str) -> User:
    """The citizen account of ``id_number`` if its mobile phone is ``phone``; else a new offline account (no usable
    password) for a person who has none. Raises AccountError with a message that reveals nothing of another
    person's account: the phone it holds is never named."""
    from django.utils.translation import gettext as _

    id_number = normalize_id_number(id_number)
    phone = (phone or "").strip()
    real_name = (real_name or "").strip()
    profile = CitizenProfile.objects.select_related("user").filter(id_number=id_number).first()
    if profile is not None:
        if profile.user.phone != phone:
            raise AccountError(_("An account exists for this ID number with another mobile phone. Ask for the "
                                 "phone the person registered with; a changed phone is updated by the person "
                                 "online or at the counter with their ID card."), field="phone")
        if profile.real_name != real_name:
            raise AccountError(_("The name does not match the account of this ID number. Check it against the "
                                 "ID card."), field="real_name")
        return profile.user
    if User.objects.filter(Q(phone=phone) | Q(username=phone)).exists():
        raise AccountError(_("This mobile phone belongs to another person's account. Ask for the person's own "
                             "mobile phone."), field="phone")
    return citizen_offline_open(phone=phone, real_name=real_name, id_number=id_number)


@transaction.atomic
def citizen_offline_open(*, phone: str, real_name: str, id_number: str) -> User:
    """An account opened for a person who has none, with no usable password until they claim it."""
    user = User(username=phone, phone=phone, kind=AccountKind.CITIZEN)
    user.set_unusable_password()
    user.save()
    CitizenProfile.objects.create(user=user, real_name=real_name.strip(), id_number=normalize_id_number(id_number))
    _licences_link(user)
    return user


CLAIM_CODE_TTL = 10 * 60  # seconds a claim code stays valid
CLAIM_CODE_TRIES = 5  # wrong codes before the code is spent


def _claim_key(user_pk) -> str:
    return f"account_claim:{user_pk}"


def _code_hash(code: str) -> str:
    import hashlib

    from django.conf import settings

    return hashlib.sha256(f"{settings.SECRET_KEY}:{code}".encode()).hexdigest()


def account_claimable(*, id_number: str, phone: str) -> User | None:
    """The offline account of ``id_number`` whose mobile phone is ``phone``, or None (wrong phone, no such account,
    an account that already has a password)."""
    user = User.objects.filter(citizen_profile__id_number=normalize_id_number(id_number), phone=(phone or "").strip(),
                               is_active=True).first()
    if user is None or user.has_usable_password():
        return None
    return user


def claim_code_send(*, id_number: str, phone: str) -> bool:
    """Send a six-digit code by SMS to the phone of the offline account of ``id_number`` when ``phone`` is that
    phone; nothing otherwise. The caller tells the person the same either way (nothing learned by guessing)."""
    import secrets

    from django.core.cache import cache
    from django.utils.translation import gettext as _

    from apps.notifications.sms import get_sms_backend

    user = account_claimable(id_number=id_number, phone=phone)
    if user is None:
        return False
    code = f"{secrets.randbelow(1_000_000):06d}"
    cache.set(_claim_key(user.pk), {"hash": _code_hash(code), "tries": 0}, CLAIM_CODE_TTL)
    # Straight to the gateway, not through the inbox: a code is never kept in a message list.
    get_sms_backend().send(phone=user.phone, text=_("Your code to claim your account on the government services "
                                                    "portal: %(code)s (valid 10 minutes). Never tell it to anyone.")
                           % {"code": code})
    return True


@transaction.atomic
def account_claim(*, id_number: str, phone: str, code: str, password: str) -> User:
    """The person sets the password of the account opened for them, proving the phone by the code sent to it."""
    import hmac

    from django.core.cache import cache
    from django.utils.translation import gettext as _

    user = account_claimable(id_number=id_number, phone=phone)
    entry = cache.get(_claim_key(user.pk)) if user is not None else None
    if entry is None:
        raise AccountError(_("The code has expired or was never sent. Ask for a new code."))
    if not hmac.compare_digest(entry["hash"], _code_hash((code or "").strip())):
        entry["tries"] += 1
        if entry["tries"] >= CLAIM_CODE_TRIES:
            cache.delete(_claim_key(user.pk))
            raise AccountError(_("Too many wrong codes. Ask for a new code."))
        cache.set(_claim_key(user.pk), entry, CLAIM_CODE_TTL)
        raise AccountError(_("The code is wrong. Check the SMS and type it again."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.has_usable_password():  # claimed in the meantime (two tabs)
        raise AccountError(_("This account has already been claimed. Log in instead."))
    user.set_password(password)
    user.save(update_fields=["password"])
    cache.delete(_claim_key(user.pk))
    return user


# --- 实名核验 (ADR 0011) ----------------------------------------------------------------------------------------------
# Anyone can type a stranger's ID number or credit code on the registration form (or an agent's). An account holds the
# licences of its number, and 免提交 uses them, only once its identity is verified: at a service window with the ID
# card, or online through the national identity service (apps/accounts/identity.py).

@transaction.atomic
def account_identity_verify(*, user: User, method: str, actor: User | None = None) -> User:
    """Record that ``user``'s real name and number are the person's (``method``: IdentityMethod; ``actor``: the window
    clerk who saw the ID card) and link the licences held under its number. Idempotent: a verified account keeps
    its first verification."""
    if method not in IdentityMethod.values:
        raise ValueError(method)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.kind not in (AccountKind.CITIZEN, AccountKind.ENTERPRISE):
        raise ValueError("Only a citizen's or an enterprise's account is verified.")  # a caller's mistake, not input
    if user.identity_verified_at is None:
        user.identity_verified_at = timezone.now()
        user.identity_method = method
        user.identity_verified_by = actor if getattr(actor, "is_staff", False) else None
        user.save(update_fields=["identity_verified_at", "identity_method", "identity_verified_by"])
        _licences_link(user)
    return user


def account_identity_check_online(*, user: User) -> User:
    """在线实名核验: ask the national identity service (IDENTITY_CHECK_BACKEND) whether the account's name and number
    are the person's. Raises AccountError with the service's reason (or that none is available here)."""
    from django.utils.translation import gettext as _

    from .identity import identity_backend

    if user.identity_verified_at is not None:
        return user
    backend = identity_backend()
    if backend is None:
        raise AccountError(_("Online identity authentication is not available here: bring your ID card (or the "
                             "business licence and the legal representative's ID card) to any service window."))
    answer = backend.check(user=user)
    if not answer.verified:
        raise AccountError(answer.message or _("The identity service could not confirm that this name and number "
                                               "are yours. Check them, or verify at a service window."))
    return account_identity_verify(user=user, method=IdentityMethod.ONLINE)


def account_identity_verify_at_window(*, clerk: User, number: str, phone: str, card_seen: bool) -> User:
    """实名核验 at a window, without an application: the window clerk has the person's ID card (an enterprise: the
    business licence and the legal representative's ID card) in hand, finds the account by its number and the phone
    it was registered with, and verifies it. Raises AccountError (field-named); the phone an account holds is never
    named."""
    from django.utils.translation import gettext as _

    from apps.core.dashboard import user_roles

    if Role.WINDOW_CLERK.value not in user_roles(clerk):
        raise AccountError(_("Only a window clerk of the government service centre verifies identities."))
    if not card_seen:
        raise AccountError(_("Confirm that you have checked the original ID card (or business licence) against "
                             "the person."), field="card_seen")
    number = (number or "").strip().upper()
    user = (User.objects.filter(Q(citizen_profile__id_number=number) | Q(enterprise_profile__credit_code=number),
                                kind__in=[AccountKind.CITIZEN, AccountKind.ENTERPRISE]).first())
    if user is None:
        raise AccountError(_("No account is registered with this number: the person registers first (or applies "
                             "here, which opens one)."), field="number")
    if user.phone != (phone or "").strip():
        raise AccountError(_("The account of this number was registered with another mobile phone. Ask for the "
                             "phone the person registered with; a changed phone is updated with the centre's "
                             "account procedure."), field="phone")
    return account_identity_verify(user=user, method=IdentityMethod.WINDOW, actor=clerk)
