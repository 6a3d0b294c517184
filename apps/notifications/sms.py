"""SMS delivery is outside the city: a pluggable backend chosen by ``SMS_BACKEND``."""
import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsBackend(Protocol):
    """What a gateway adapter provides (the city's SMS platform plugs in through ``SMS_BACKEND``)."""

    def send(self, *, phone: str, text: str) -> None: ...


class ConsoleSmsBackend:
    """Development: print the message instead of sending it."""

    def send(self, *, phone, text):
        logger.info("SMS to %s: %s", phone, text)
        print(f"[SMS to {phone}] {text}")


class LocmemSmsBackend:
    """Tests: keep the messages in ``outbox``."""

    outbox: list = []

    def send(self, *, phone, text):
        LocmemSmsBackend.outbox.append({"phone": phone, "text": text})


def get_sms_backend() -> SmsBackend:
    return import_string(settings.SMS_BACKEND)()
