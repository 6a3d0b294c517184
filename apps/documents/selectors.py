from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from apps.workflow.selectors import case_can_view

from .kinds import get_kind
from .models import Document


def document_get_for_user(*, user, token) -> Document:
    """The document by its unguessable token (never the sequential id) if ``user`` may see its case — the owner or
    staff in a role that may see it (``workflow.selectors.case_can_view``); otherwise Document.DoesNotExist (404)."""
    try:
        document = Document.objects.select_related("content_type").get(token=token)
    except (Document.DoesNotExist, ValueError, ValidationError):
        raise Document.DoesNotExist from None
    case = document.case
    if case is None or not case_can_view(user=user, obj=case):
        raise Document.DoesNotExist
    return document


def document_verify(*, code: str) -> dict | None:
    """What the public may learn from a verification code: kind, number, date, issuer — nothing about the case."""
    document = (Document.objects.select_related("issuing_department")
                .filter(verification_code=(code or "").strip().upper()).first())
    if document is None:
        return None
    kind = get_kind(document.kind)
    state = kind.current_state(document.case) if kind.current_state is not None and document.case else None
    return {
        "state": state,
        "kind": str(get_kind(document.kind).label),
        "title": document.title,
        "number": document.number,
        "issued_on": document.issued_on,
        "issuing_department": document.issuing_department.full_name or document.issuing_department.name,
        "signers": document.context.get("signers", []),
    }


def documents_for_case(*, obj):
    return Document.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
