from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonorsConfig(AppConfig):
    name = "apps.honors"
    verbose_name = _("Enterprise honors and showcase")

    def ready(self):
        from . import transitions  # noqa: F401 - registers the workflows (ADR 0003)
        from apps.credit.services import consequence_register

        from .services import revoke_for_dishonesty

        consequence_register(revoke_for_dishonesty)
        from apps.documents.kinds import DocumentKind, register_kind

        from .constants import DocumentKinds

        for code, label, prefix in DocumentKinds.ALL:
            register_kind(DocumentKind(code, label, prefix))
