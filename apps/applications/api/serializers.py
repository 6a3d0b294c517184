from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.accounts.validators import validate_mobile
from apps.applications.constants import NEXT_STEP
from apps.applications.models import Application
from apps.applications.selectors import application_documents


class ApplicationSerializer(serializers.ModelSerializer):
    service = serializers.CharField(source="service.code")
    service_name = serializers.CharField(source="service.name")
    status_label = serializers.CharField(source="get_status_display")
    next_step = serializers.SerializerMethodField()
    deadline = serializers.SerializerMethodField()
    url = serializers.HyperlinkedIdentityField(view_name="api:application-detail")

    class Meta:
        model = Application
        fields = ("url", "id", "reference", "service", "service_name", "status", "status_label", "next_step",
                  "deadline", "created_at", "submitted_at", "accepted_at", "decided_at", "completed_at")

    def get_next_step(self, obj) -> str:
        return str(NEXT_STEP.get(obj.status, ""))

    def get_deadline(self, obj) -> dict | None:
        deadline = obj.current_deadline
        if deadline is None or not deadline.is_open:
            return None
        return {"label": deadline.label, "due_at": deadline.due_at, "status": deadline.status,
                "provisional": deadline.provisional}


class ApplicationDetailSerializer(ApplicationSerializer):
    documents = serializers.SerializerMethodField()

    class Meta(ApplicationSerializer.Meta):
        fields = ApplicationSerializer.Meta.fields + ("phone", "email", "address", "description", "documents")

    def get_documents(self, obj) -> list[dict]:
        request = self.context["request"]
        return [{"title": d.title, "number": d.number, "issued_on": d.issued_on,
                 "url": request.build_absolute_uri(reverse("documents:download", args=[d.token]))}
                for d in application_documents(application=obj)]


class ApplicationCreateSerializer(serializers.Serializer):
    """Apply in one request: the service code, contact data, the declaration, and one file per needed material as
    multipart fields named ``material_<id>`` (ids from /api/v1/services/<code>/)."""

    service = serializers.CharField(help_text=_("Service item code"))
    phone = serializers.CharField(max_length=11, validators=[validate_mobile])
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    address = serializers.CharField(required=False, allow_blank=True, max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    conditions_met = serializers.ListField(child=serializers.IntegerField(), required=False)
    declaration = serializers.BooleanField(
        help_text=_("I declare that the information and materials I submit are true, complete and valid."))
