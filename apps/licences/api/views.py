from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from apps.licences import selectors
from apps.licences.models import Licence

from .serializers import LicenceSerializer, LicenceVerificationSerializer


class NewestFirst(CursorPagination):
    ordering = "-created_at"
    page_size = 50


class LicenceViewSet(viewsets.ReadOnlyModelViewSet):
    """Electronic licences: a holder's own; for staff, those of their department (issued, or used by an application
    it handles). Anyone else's id answers 404. ``verify/<code>/`` is public: a licence's state by the verification
    code printed on it."""

    permission_classes = [permissions.IsAuthenticated]
    pagination_class = NewestFirst
    serializer_class = LicenceSerializer
    queryset = Licence.objects.none()

    def get_queryset(self):
        user = self.request.user
        qs = selectors.licences_for_staff(user=user) if user.is_staff else selectors.licences_of_holder(user=user)
        return qs.select_related("kind", "issuing_department", "document").order_by("-created_at")

    @extend_schema(responses={200: LicenceVerificationSerializer})
    @action(detail=False, methods=["get"], url_path=r"verify/(?P<code>[A-Za-z0-9]{4,32})",
            permission_classes=[permissions.AllowAny], pagination_class=None)
    def verify(self, request, code=None):
        licence = (Licence.objects.select_related("kind", "issuing_department", "document")
                   .filter(document__verification_code=code.upper()).first())
        if licence is None:
            raise Http404
        state = selectors.licence_document_state(licence)
        return Response(LicenceVerificationSerializer({
            "kind_name": licence.kind.name, "number": licence.number,
            "issuing_department": licence.issuing_department.name, "valid_from": licence.valid_from,
            "valid_until": licence.valid_until, "state": licence.state(), "note": state["note"]}).data)
