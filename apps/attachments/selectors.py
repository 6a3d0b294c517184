from django.contrib.contenttypes.models import ContentType

from apps.workflow.selectors import case_can_view, case_staff_can_view

from .models import Attachment

# A purpose ending so is kept for staff: the case's owner is not served it (a grid handler's photo that shows faces or
# number plates, docs/security.md).
STAFF_ONLY_SUFFIX = "_staff_only"


def attachment_get_for_user(*, user, pk) -> Attachment:
    """The attachment if ``user`` may see its case; otherwise Attachment.DoesNotExist (the view answers 404)."""
    try:
        attachment = Attachment.objects.select_related("content_type").get(pk=pk)
    except (Attachment.DoesNotExist, ValueError):
        raise Attachment.DoesNotExist from None
    case = attachment.case
    if case is None or not case_can_view(user=user, obj=case):
        raise Attachment.DoesNotExist
    if attachment.purpose.endswith(STAFF_ONLY_SUFFIX) and not case_staff_can_view(user=user, obj=case):
        raise Attachment.DoesNotExist
    return attachment


def attachments_for_case(*, obj):
    return Attachment.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
