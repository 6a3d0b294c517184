from django.db.models import QuerySet

from apps.documents.selectors import documents_for_case
from apps.workflow.selectors import case_get_for_user

from .models import InformationRequest


def information_request_get_for_user(*, user, pk) -> InformationRequest:
    """The request if ``user`` may see it (the requester, the agency's staff in a role that may); else DoesNotExist."""
    return case_get_for_user(user=user, model=InformationRequest, pk=pk)


def information_request_list_for_requester(*, user) -> QuerySet:
    return (InformationRequest.objects.filter(requester=user).exclude(status="draft")
            .select_related("department", "current_deadline").order_by("-created_at"))


def information_request_documents(*, request):
    return documents_for_case(obj=request)
