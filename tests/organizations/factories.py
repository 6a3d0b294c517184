import factory

from apps.organizations.constants import AdminLevel
from apps.organizations.models import AdminUnit, Department


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdminUnit
        django_get_or_create = ("code",)

    code = "211100"
    name = "盘锦市"
    level = AdminLevel.CITY
    parent = None


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"dept-{n}")
    name = factory.Sequence(lambda n: f"市测试局{n}")
    admin_unit = factory.SubFactory(CityFactory)
