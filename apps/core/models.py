from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """A client's ``Idempotency-Key`` for a request that creates something (the applications API): the first request
    with the key does the work and keeps its answer here, in the same transaction; a retry with the key (a timeout, a
    dropped connection, a broker outage that the client took for a failure) gets the same answer, and nothing twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=64)
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64, help_text="A hash of the request: the same key with another body "
                                                             "is refused.")
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [models.UniqueConstraint(fields=["user", "scope", "key"], name="idempotency_key_once")]
