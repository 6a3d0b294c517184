from rest_framework import serializers

from apps.catalogue.models import Material, ProcessStep, ServiceItem


class MaterialSerializer(serializers.ModelSerializer):
    class Meta:
        model = Material
        fields = ("id", "order", "name", "source", "form", "count", "required", "condition", "note")


class ProcessStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcessStep
        fields = ("order", "name", "actor", "description", "time_limit")


class ServiceItemSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.name")
    department_code = serializers.CharField(source="department.code")
    url = serializers.HyperlinkedIdentityField(view_name="api:service-detail", lookup_field="code")

    class Meta:
        model = ServiceItem
        fields = ("url", "code", "name", "service_type", "department", "department_code", "audience",
                  "legal_limit", "promised_limit", "fee", "visits_required", "online_depth")


class ServiceItemDetailSerializer(ServiceItemSerializer):
    materials = MaterialSerializer(many=True, read_only=True)
    steps = ProcessStepSerializer(many=True, read_only=True)
    life_events = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta(ServiceItemSerializer.Meta):
        fields = ServiceItemSerializer.Meta.fields + ("legal_basis", "acceptance_conditions", "place", "phone",
                                                      "life_events", "materials", "steps")
