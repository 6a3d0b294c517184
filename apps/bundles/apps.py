from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BundlesConfig(AppConfig):
    name = "apps.bundles"
    verbose_name = _("Bundles (一件事一次办)")

    def ready(self):
        from . import transitions  # noqa: F401 - registers the workflow (ADR 0003)
        from apps.documents.kinds import DocumentKind, register_kind

        from .constants import DocumentKinds

        for code, label, prefix in DocumentKinds.ALL:
            register_kind(DocumentKind(code, label, prefix))
