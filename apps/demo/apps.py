from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data for `make run` (showcases, catalogues, grids, accounts): kept out of the domain apps, which it
    drives only through their public services."""

    name = "apps.demo"
    label = "demo"
    verbose_name = _("Demo data")
