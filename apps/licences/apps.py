from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicencesConfig(AppConfig):
    name = "apps.licences"
    verbose_name = _("Electronic licences")

    def ready(self):
        from . import transitions  # noqa: F401 - registers the workflow (ADR 0003)
        from apps.documents.kinds import DocumentKind, register_kind

        from .constants import LICENCE_DOCUMENT
        from .selectors import licence_document_state

        register_kind(DocumentKind(LICENCE_DOCUMENT, _("Electronic licence"), "盘证照字",
                                   current_state=licence_document_state))
