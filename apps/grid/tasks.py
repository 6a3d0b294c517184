from celery import shared_task

from .services import category_model_train


@shared_task
def category_model_train_task() -> int | None:
    """Beat, nightly (ADR 0010): learn from the cases closed since the last model. Idempotent: nothing closed or
    corrected since → the current model stays, no new version."""
    model = category_model_train()
    return model.version if model is not None else None
