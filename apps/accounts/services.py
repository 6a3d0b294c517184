from django.contrib.auth.models import Group
from django.db import transaction

from apps.organizations.constants import Role

from .constants import AccountKind
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
    """The licences registered under the new account's code before it existed become its own (issue 15)."""
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
