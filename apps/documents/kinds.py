"""Kinds of issued documents. Each service registers its kinds in its AppConfig.ready()."""
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class DocumentKind:
    code: str  # stable key, e.g. "application_acceptance_notice"
    label: str | Promise  # 受理通知书
    prefix: str  # the number's word before the year, e.g. "盘政服受字"
    template: str = "documents/notice.html"
    # A document that stands for something that can change (a licence revoked after it was printed): case → what
    # the public may learn of its state today, {"label", "ok", "note"}, shown on the verification page.
    current_state: Callable | None = None


_KINDS: dict[str, DocumentKind] = {}


def register_kind(kind: DocumentKind) -> DocumentKind:
    existing = _KINDS.get(kind.code)
    if existing is not None and existing != kind:
        raise ValueError(f"document kind {kind.code!r} registered twice with different settings")
    _KINDS[kind.code] = kind
    return kind


def get_kind(code: str) -> DocumentKind:
    return _KINDS[code]
