import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from apps.accounts.constants import AccountKind, IdentityMethod
from apps.accounts.models import CitizenProfile, EnterpriseProfile, User
from apps.accounts.validators import credit_code_check_char, id_number_check_digit
from tests.organizations.factories import DepartmentFactory

PASSWORD = "Test-pass-2026"


def make_id_number(n: int) -> str:
    first17 = f"21110319850101{n % 1000:03d}"
    return first17 + id_number_check_digit(first17)


def make_credit_code(n: int) -> str:
    first17 = f"91211100MA0{n % 1000000:06d}"
    return first17 + credit_code_check_char(first17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CitizenFactory(UserFactory):
    """A citizen whose identity has been verified (ADR 0011), as most people using the portal are; pass
    ``identity_verified_at=None`` for an account registered online and not verified yet."""

    kind = AccountKind.CITIZEN
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    username = factory.SelfAttribute("phone")
    identity_verified_at = factory.LazyFunction(timezone.now)
    identity_method = IdentityMethod.ONLINE
    profile = factory.RelatedFactory(
        "tests.accounts.factories.CitizenProfileFactory", factory_related_name="user"
    )


class CitizenProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CitizenProfile

    real_name = "测试市民"
    id_number = factory.Sequence(make_id_number)


class EnterpriseFactory(UserFactory):
    kind = AccountKind.ENTERPRISE
    phone = factory.Sequence(lambda n: f"137{n:08d}")
    username = factory.SelfAttribute("phone")
    identity_verified_at = factory.LazyFunction(timezone.now)
    identity_method = IdentityMethod.ONLINE
    profile = factory.RelatedFactory(
        "tests.accounts.factories.EnterpriseProfileFactory", factory_related_name="user"
    )


class EnterpriseProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnterpriseProfile

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    credit_code = factory.Sequence(make_credit_code)
    legal_representative = "王法人"
    contact_name = "李联系"
    contact_phone = "13700000000"


class StaffFactory(UserFactory):
    kind = AccountKind.STAFF
    is_staff = True
    department = factory.SubFactory(DepartmentFactory)

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.groups.set([Group.objects.get_or_create(name=str(role))[0] for role in extracted])
