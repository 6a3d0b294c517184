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
