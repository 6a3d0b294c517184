from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridConfig(AppConfig):
    name = "apps.grid"
    verbose_name = _("Grid cases")

    def ready(self):
        from . import transitions  # noqa: F401 - registers the workflow (ADR 0003)
