from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxTask(models.Model):
    """Work that follows a committed change (a PDF to render, messages to deliver, a recompute), recorded in the same
    transaction as the change and handed to Celery after commit — or, when the broker is down, by the relay once it is
    back (CONVENTIONS 19). Tasks are idempotent, so a task handed over twice does no harm."""

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    available_at = models.DateTimeField(_("next attempt"))
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("handed to the broker"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("background task")
        verbose_name_plural = _("background tasks")
        ordering = ["-id"]
        indexes = [
            # The relay's question: what is waiting and due, oldest first (partial: the sent rows are most of them).
            models.Index(fields=["available_at", "id"], name="outbox_pending", condition=models.Q(sent_at__isnull=True)),
            models.Index(fields=["sent_at"], name="outbox_sent", condition=models.Q(sent_at__isnull=False)),
        ]

    def __str__(self):
        return f"{self.task}{tuple(self.args)}"
