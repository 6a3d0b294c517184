from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, viewsets

from apps.core.api import idempotent_create
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from apps.licences import selectors
from apps.licences.models import Licence

from .serializers import LicenceRegisterSerializer, LicenceSerializer, LicenceVerificationSerializer


class NewestFirst(CursorPagination):
    ordering = "-created_at"
    page_size = 50


class LicenceViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Electronic licences: a holder's own; for staff, those of their department (issued, or used by an application
    it handles). Anyone else's id answers 404. ``verify/<code>/`` is public: a licence's state by the verification
    code printed on it. POST registers a licence the caller's department issued elsewhere (clerks and heads of the
    issuing department; send an ``Idempotency-Key`` to retry safely)."""

    permission_classes = [permissions.IsAuthenticated]
    pagination_class = NewestFirst
    serializer_class = LicenceSerializer
    queryset = Licence.objects.none()

    def get_queryset(self):
        user = self.request.user
        qs = selectors.licences_for_staff(user=user) if user.is_staff else selectors.licences_of_holder(user=user)
        return qs.select_related("kind", "issuing_department", "document").order_by("-created_at")

    def get_serializer_class(self):
        return LicenceRegisterSerializer if self.action == "create" else LicenceSerializer

    @extend_schema(request=LicenceRegisterSerializer, responses={201: LicenceSerializer})
    def create(self, request, *args, **kwargs):
        return idempotent_create(request, scope="licences.register", create=lambda: self._register(request))

    def _register(self, request):
        from rest_framework import status
        from rest_framework.exceptions import PermissionDenied, ValidationError

        from apps.licences.models import LicenceKind
        from apps.licences.services import LicenceData, licence_issue
        from apps.workflow.exceptions import WorkflowError

        user = request.user
        if not (user.is_staff and user.department_id and user.has_perm("licences.add_licence")):
            raise PermissionDenied()
        incoming = LicenceRegisterSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        kind = LicenceKind.objects.filter(code=data.pop("kind")).first()
        if kind is None:
            raise ValidationError({"kind": ["No such kind of licence."]})
        try:
            licence = licence_issue(actor=user, issuing_department=user.department,
                                    data=LicenceData(kind=kind, **data))
        except WorkflowError as error:
            raise ValidationError({getattr(error, "field", None) or "non_field_errors": [str(error)]}) from None
        return Response(LicenceSerializer(licence).data, status=status.HTTP_201_CREATED)

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
