"""SMS delivery is outside the city: a pluggable backend chosen by ``SMS_BACKEND``."""
import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class BaseSmsBackend:
    def send(self, *, phone: str, text: str) -> None:
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    """Development: print the message instead of sending it."""

    def send(self, *, phone, text):
        logger.info("SMS to %s: %s", phone, text)
        print(f"[SMS to {phone}] {text}")


class LocmemSmsBackend(BaseSmsBackend):
    """Tests: keep the messages in ``outbox``."""

    outbox: list = []

    def send(self, *, phone, text):
        LocmemSmsBackend.outbox.append({"phone": phone, "text": text})


def get_sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
