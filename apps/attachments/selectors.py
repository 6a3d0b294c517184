from django.contrib.contenttypes.models import ContentType

from apps.workflow.selectors import case_can_view

from .models import Attachment


def attachment_get_for_user(*, user, pk) -> Attachment:
    """The attachment if ``user`` may see its case; otherwise Attachment.DoesNotExist (the view answers 404)."""
    try:
        attachment = Attachment.objects.select_related("content_type").get(pk=pk)
    except (Attachment.DoesNotExist, ValueError):
        raise Attachment.DoesNotExist from None
    case = attachment.case
    if case is None or not case_can_view(user=user, obj=case):
        raise Attachment.DoesNotExist
    return attachment


def attachments_for_case(*, obj):
    return Attachment.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
