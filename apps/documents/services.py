import base64
import hashlib
import io
import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from apps.outbox.services import outbox_enqueue

from .kinds import get_kind
from .models import Document, DocumentSequence

# Crockford-style alphabet without 0/O, 1/I/L: codes are read aloud and typed from paper.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _next_seq(kind: str, year: int) -> int:
    """Take the next number for (kind, year) under a row lock; the caller's transaction holds it until commit, so a
    rolled-back issue gives its number back and numbers stay without gaps."""
    sequence = DocumentSequence.objects.select_for_update().get(kind=kind, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


@transaction.atomic
def document_issue(*, kind: str, obj, department, title: str | None = None, recipient: str = "",
                   paragraphs: list[str], items: list[dict] | None = None, closing: list[str] | None = None,
                   actor=None, signers: list[tuple[str, str]] | None = None) -> Document:
    """Fix a document's number, code and content now; its PDF is rendered after commit by a task (idempotent)."""
    spec = get_kind(kind)
    issued_on = timezone.localdate()
    try:
        with transaction.atomic():
            DocumentSequence.objects.get_or_create(kind=kind, year=issued_on.year)
    except IntegrityError:
        pass  # created concurrently by another issuer
    seq = _next_seq(kind, issued_on.year)
    # The document is Chinese whoever's request issued it; its title is read in other languages through the
    # catalogue (apps.core.i18n.stored_text).
    with translation.override(settings.LANGUAGE_CODE):
        title = str(title or spec.label)
        signer_rows = [{"role": str(role), "name": str(name)} for role, name in signers or []]
    document = Document.objects.create(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk), kind=kind,
        title=title, year=issued_on.year, seq=seq,
        number=f"{spec.prefix}〔{issued_on.year}〕{seq}号", verification_code=_new_code(), issued_on=issued_on,
        issuing_department=department, created_by=actor if getattr(actor, "pk", None) else None,
        context={"recipient": recipient, "paragraphs": [str(p) for p in paragraphs], "items": items or [],
                 "closing": [str(p) for p in closing or []],
                 # 承办 → 审核 → 批准: who signed the decision, by role (issue 16), printed above the seal.
                 "signers": signer_rows},
    )
    from .tasks import document_render

    outbox_enqueue(document_render, document.pk)
    return document


def _qr_data_uri(url: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=1)
    out = io.BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def verify_url(document: Document) -> str:
    return settings.PORTAL_BASE_URL + reverse("documents:verify", args=[document.verification_code])


def document_html(document: Document, *, template: str | None = None) -> str:
    department = document.issuing_department
    with translation.override("zh-hans"):
        return render_to_string(template or get_kind(document.kind).template, {
            "document": document,
            "city_name": settings.PORTAL_CITY_NAME,
            "department_name": department.full_name or department.name,
            "recipient": document.context.get("recipient", ""),
            "paragraphs": document.context.get("paragraphs", []),
            "items": document.context.get("items", []),
            "closing": document.context.get("closing", []),
            "signers": document.context.get("signers", []),
            "verify_url": verify_url(document),
            "qr": _qr_data_uri(verify_url(document)),
        })


def document_render(*, document_id: int) -> Document:
    """Render the PDF once. A document that has its file is never rendered again, so every download is the same."""
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.file:
            return document
        from weasyprint import HTML  # imported lazily: heavy, and only the worker needs it
        from PIL import ImageFile

        ImageFile.LOAD_TRUNCATED_IMAGES = False  # WeasyPrint turns it on for the process; uploads need it off

        pdf = HTML(string=document_html(document), base_url=str(settings.BASE_DIR)).write_pdf()
        document.file.save(f"{document.year}/{document.kind}-{document.seq:06d}-{document.verification_code}.pdf",
                           ContentFile(pdf), save=False)
        document.sha256 = hashlib.sha256(pdf).hexdigest()
        document.rendered_at = timezone.now()
        document.save(update_fields=["file", "sha256", "rendered_at"])
        return document
