from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "apps.disclosure"
    verbose_name = _("Government disclosure")
