from django.apps import AppConfig


class ExampleAppConfig(AppConfig):
    name = "tests.example_app"
    label = "example_app"

    def ready(self):
        from . import transitions  # noqa: F401 - registers the workflow
        from apps.documents.kinds import DocumentKind, register_kind

        register_kind(DocumentKind("example_acceptance_notice", "受理通知书", "盘例受字"))
        register_kind(DocumentKind("example_refusal_notice", "不予受理通知书", "盘例不受字"))
