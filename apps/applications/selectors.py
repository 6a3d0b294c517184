from dataclasses import dataclass

from django.db.models import QuerySet

from apps.attachments.models import Attachment
from apps.attachments.selectors import attachments_for_case
from apps.catalogue.models import Material
from apps.documents.selectors import documents_for_case
from apps.workflow.selectors import case_get_for_user, case_queryset_for_staff

from .constants import Status
from .models import Application, SupplementRequest


def material_purpose(material_id: int) -> str:
    return f"material-{material_id}"


@dataclass
class MaterialState:
    material: Material
    needed: bool
    attachment: Attachment | None
    requested: dict | None = None  # the supplement item asking for it, with the clerk's note
    replaced: bool = False  # uploaded again after the supplement request


def application_materials(*, application: Application) -> list[MaterialState]:
    """Each material of the service with whether it is needed and its latest upload (two queries)."""
    latest: dict[str, Attachment] = {}
    for attachment in attachments_for_case(obj=application).order_by("uploaded_at"):
        latest[attachment.purpose] = attachment
    request = application_open_supplement(application=application)
    requested = {item["material_id"]: item for item in (request.items if request else [])}
    states = []
    for material in application.service.materials.all().order_by("order", "id"):
        attachment = latest.get(material_purpose(material.pk))
        needed = material.required or material.pk in application.conditions_met
        state = MaterialState(material, needed, attachment, requested.get(material.pk))
        if state.requested and attachment is not None and request is not None:
            state.replaced = attachment.uploaded_at > request.created_at
        states.append(state)
    return states


def application_missing_materials(*, application: Application) -> list[Material]:
    return [s.material for s in application_materials(application=application) if s.needed and s.attachment is None]


def application_open_supplement(*, application: Application) -> SupplementRequest | None:
    if application.status != Status.SUPPLEMENT_REQUESTED:
        return None
    return application.supplement_requests.filter(resolved_at__isnull=True).first()


def application_get_for_user(*, user, pk) -> Application:
    """The application if ``user`` may see it (applicant, its department, granted staff); else DoesNotExist."""
    return case_get_for_user(user=user, model=Application, pk=pk)


def application_list_for_applicant(*, user) -> QuerySet:
    return (Application.objects.filter(applicant=user)
            .select_related("service", "current_deadline").order_by("-created_at"))


def application_queue_for_staff(*, user) -> QuerySet:
    qs = Application.objects.exclude(status=Status.DRAFT).select_related("service", "current_deadline", "department")
    return case_queryset_for_staff(user=user, queryset=qs)


def application_lookup(*, reference: str, phone_last4: str) -> Application | None:
    """The public lookup: both the reference and the last four digits of the phone must match."""
    reference = (reference or "").strip().upper()
    phone_last4 = (phone_last4 or "").strip()
    if not reference or len(phone_last4) != 4 or not phone_last4.isdigit():
        return None
    application = Application.objects.select_related("service", "department").filter(reference=reference).first()
    if application is None or not application.phone.endswith(phone_last4):
        return None
    return application


def application_documents(*, application: Application):
    return documents_for_case(obj=application).order_by("created_at")


def application_results(*, application: Application):
    return attachments_for_case(obj=application).filter(purpose="result").order_by("uploaded_at")
