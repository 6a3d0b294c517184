from django.core.management.base import BaseCommand

from apps.grid.services import category_model_train


class Command(BaseCommand):
    help = "Train the grid case classifier on the cases closed in the last year (ADR 0010); idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Train a new version even if no case changed.")

    def handle(self, *args, force=False, **options):
        model = category_model_train(force=force)
        if model is None:
            self.stdout.write("Nothing to learn: fewer than two categories among the closed cases.")
            return
        accuracy = "—" if model.held_out_accuracy is None else f"{model.held_out_accuracy:.1%}"
        keywords = "—" if model.keyword_accuracy is None else f"{model.keyword_accuracy:.1%}"
        self.stdout.write(f"Model v{model.version}: {model.n_cases} cases; held-out accuracy on the last month "
                          f"{accuracy} over {model.held_out_cases} cases (keyword rules: {keywords}).")
