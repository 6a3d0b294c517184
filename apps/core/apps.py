from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    verbose_name = _("Portal")

    def ready(self):
        from django.contrib import admin

        from . import checks  # noqa: F401 - registers the deploy checks

        admin.site.site_header = _("Government Services Portal Administration")
        admin.site.site_title = _("Government Services Portal Administration")
        admin.site.index_title = _("Back office")
