from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InformationRequestsConfig(AppConfig):
    name = "apps.information_requests"
    verbose_name = _("Requests for government information")

    def ready(self):
        from . import transitions  # noqa: F401 - registers the workflow (ADR 0003)
        from apps.documents.kinds import DocumentKind, register_kind

        from .constants import DocumentKinds

        for code, label, prefix in DocumentKinds.ALL:
            register_kind(DocumentKind(code, label, prefix))
