"""实名核验 online is outside the city: the national identity service (公安 population register with a face check, or
the 国家网络身份认证 app; for enterprises the market-regulation register and the legal representative's check) plugs in
through ``IDENTITY_CHECK_BACKEND`` (ADR 0011). Without one, identity is verified at a service window only."""
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class IdentityAnswer:
    verified: bool
    message: str = ""  # why not, in the service's words (shown to the person)


class IdentityCheckBackend(Protocol):
    """What an adapter provides: whether the account's name and number belong to the person using it."""

    label: str

    def check(self, *, user) -> IdentityAnswer: ...


class DemoIdentityCheck:
    """Development and the demo only: answers yes for any well-formed number — a stand-in for the national service,
    never for production (`check --deploy` refuses it, apps.core.checks)."""

    label = "演示环境：模拟身份认证"

    def check(self, *, user) -> IdentityAnswer:
        return IdentityAnswer(verified=True)


def identity_backend() -> IdentityCheckBackend | None:
    path = getattr(settings, "IDENTITY_CHECK_BACKEND", "")
    return import_string(path)() if path else None
