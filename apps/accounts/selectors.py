import re

from django.db.models import Q

from apps.organizations.constants import Role

from .models import User


def user_has_role(*, user: User, role: Role) -> bool:
    if not user.is_authenticated:
        return False
    return user.groups.filter(name=role.value).exists()


def user_roles(*, user: User) -> list[str]:
    if not user.is_authenticated:
        return []
    return list(user.groups.values_list("name", flat=True))


_PHONE_NOISE = re.compile(r"[\s\-()（）]")


def login_identifier_normalise(identifier: str) -> str:
    """One spelling per way of typing a login: an e-mail address in lower case, a phone number as its digits (without
    +86), anything else (a staff username) stripped and lower-cased."""
    value = (identifier or "").strip()
    if "@" in value:
        return value.lower()
    digits = _PHONE_NOISE.sub("", value)
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix):]
    if digits.isdigit():
        return digits
    return value.lower()


def login_account_key(request, credentials: dict | None) -> str | None:
    """What django-axes counts a login failure against (``AXES_USERNAME_CALLABLE``): the account the identifier names
    however it was typed (``user:<id>``, so that 张三@Example.com and 张三@example.com share their five tries), or the
    normalised identifier when it names no account (or several)."""
    raw = (credentials or {}).get("username")
    if raw is None:
        return None
    normalised = login_identifier_normalise(raw)
    if not normalised:
        return ""
    lookup = Q(username=raw.strip()) | Q(username=normalised) | Q(phone=normalised)
    if "@" in normalised:
        lookup |= Q(email__iexact=normalised)
    ids = list(User.objects.filter(lookup).values_list("pk", flat=True).distinct()[:2])
    return f"user:{ids[0]}" if len(ids) == 1 else normalised
