from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "apps.applications"
    verbose_name = _("Online applications")

    def ready(self):
        from . import transitions  # noqa: F401 - registers the workflow (ADR 0003)
        from apps.workdays.signals import calendar_year_changed

        from . import receivers

        calendar_year_changed.connect(receivers.on_calendar_year_changed, dispatch_uid="applications-statistics")
        from apps.documents.kinds import DocumentKind, register_kind

        from .constants import DocumentKinds

        for code, label, prefix in DocumentKinds.ALL:
            register_kind(DocumentKind(code, label, prefix))
