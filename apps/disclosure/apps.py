from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "apps.disclosure"
    verbose_name = _("Government disclosure")

    def ready(self):
        from . import transitions  # noqa: F401 - registers the workflow (ADR 0003)
