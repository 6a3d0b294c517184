from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from apps.applications import services
from apps.applications.constants import Channel
from apps.applications.models import Application
from apps.applications.selectors import application_list_for_applicant
from apps.catalogue.models import ServiceItem
from apps.core.api import idempotent_create
from apps.workflow.exceptions import WorkflowError
from apps.workflow.services import transition_perform

from .serializers import ApplicationCreateSerializer, ApplicationDetailSerializer, ApplicationSerializer


class NewestFirst(CursorPagination):
    ordering = "-created_at"
    page_size = 20


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                         viewsets.GenericViewSet):
    """The signed-in applicant's own applications. Anyone else's id answers 404."""

    permission_classes = [permissions.IsAuthenticated]
    pagination_class = NewestFirst
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    queryset = Application.objects.none()

    def get_queryset(self):
        return application_list_for_applicant(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return ApplicationCreateSerializer
        return ApplicationDetailSerializer if self.action == "retrieve" else ApplicationSerializer

    @extend_schema(request={"multipart/form-data": ApplicationCreateSerializer}, responses={201: ApplicationDetailSerializer})
    def create(self, request, *args, **kwargs):
        """Submit an application in one request. Send an ``Idempotency-Key`` header to retry safely: a retry of a
        request that succeeded answers the same application, never a second one."""
        return idempotent_create(request, scope="applications.create", create=lambda: self._submit(request))

    def _submit(self, request):
        incoming = ApplicationCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        service = ServiceItem.objects.filter(code=data["service"], is_active=True).first()
        if service is None:
            raise serializers.ValidationError({"service": ["没有该事项。"]})
        stored = []  # files written before a rollback would stay on disk: remove them if anything fails
        try:
            with transaction.atomic():
                application = services.application_start(applicant=request.user, service=service,
                                                         channel=Channel.API)
                services.application_update(actor=request.user, application=application, phone=data["phone"],
                                            email=data.get("email", ""), address=data.get("address", ""),
                                            description=data.get("description", ""),
                                            conditions_met=data.get("conditions_met", []))
                errors = {}
                for material in service.materials.all():
                    upload = request.FILES.get(f"material_{material.pk}")
                    if upload is None:
                        continue
                    try:
                        stored.append(services.application_upload_material(
                            actor=request.user, application=application, material=material, upload=upload))
                    except DjangoValidationError as error:
                        errors[f"material_{material.pk}"] = error.messages
                if errors:
                    raise serializers.ValidationError(errors)
                application = transition_perform(actor=request.user, obj=application, name="submit",
                                                 params=services.Declaration(declaration=data["declaration"]))
        except WorkflowError as error:
            _remove_files(stored)
            raise serializers.ValidationError({"non_field_errors": [str(error)]}) from None
        except serializers.ValidationError:
            _remove_files(stored)
            raise
        output = ApplicationDetailSerializer(application, context=self.get_serializer_context())
        return Response(output.data, status=status.HTTP_201_CREATED)


def _remove_files(attachments):
    for attachment in attachments:
        attachment.file.delete(save=False)
        if attachment.thumbnail:
            attachment.thumbnail.delete(save=False)
