from rest_framework import serializers

from apps.licences.models import Licence


class LicenceSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="kind.code")
    kind_name = serializers.CharField(source="kind.name")
    issuing_department = serializers.CharField(source="issuing_department.name")
    state = serializers.SerializerMethodField()
    verification_code = serializers.SerializerMethodField()

    class Meta:
        model = Licence
        fields = ["id", "kind", "kind_name", "number", "holder_name", "holder_code", "issuing_department",
                  "valid_from", "valid_until", "state", "status_reason", "verification_code"]

    def get_state(self, obj) -> str:
        return obj.state()

    def get_verification_code(self, obj) -> str:
        return obj.document.verification_code if obj.document_id else ""


class LicenceVerificationSerializer(serializers.Serializer):
    kind_name = serializers.CharField()
    number = serializers.CharField()
    issuing_department = serializers.CharField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    state = serializers.CharField()
    note = serializers.CharField()


class LicenceRegisterSerializer(serializers.Serializer):
    """A licence the department issued outside the portal (its own kinds only: licences.services.licence_issue)."""

    kind = serializers.SlugField(help_text="Kind code, e.g. business-licence")
    number = serializers.CharField(max_length=40)
    holder_code = serializers.CharField(max_length=18, help_text="ID number or unified social credit code")
    holder_name = serializers.CharField(max_length=200)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True)
