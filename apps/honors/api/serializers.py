from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.honors.models import DepartmentReview, HonorCategory, Showcase


class CategorySerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.name")
    department_code = serializers.CharField(source="department.code")

    class Meta:
        model = HonorCategory
        fields = ["code", "name", "department", "department_code", "eligibility", "review_limit"]


def _absolute(context, path):
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


class ShowcaseListSerializer(serializers.ModelSerializer):
    industry_label = serializers.CharField(source="get_industry_display")
    district = serializers.CharField(source="district.name", default="")
    district_code = serializers.CharField(source="district.code", default="")
    honors = serializers.SerializerMethodField()
    version = serializers.IntegerField(source="current_version.number")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Showcase
        fields = ["id", "name", "credit_code", "industry", "industry_label", "district", "district_code", "summary",
                  "honors", "version", "published_at", "url"]

    def get_honors(self, obj) -> list[str]:
        return [c.code for c in obj.categories.all()]

    def get_url(self, obj) -> str:
        return _absolute(self.context, reverse("honors:showcase", args=[obj.pk]))


HONOR_SCHEMA = {"type": "array", "items": {"type": "object", "properties": {
    "category": {"type": "string"}, "issuer": {"type": "string"}, "issuer_level": {"type": "string"},
    "issued_on": {"type": "string", "format": "date"}, "number": {"type": "string"}}}}
PRODUCT_SCHEMA = {"type": "array", "items": {"type": "object", "properties": {
    "name": {"type": "string"}, "model": {"type": "string"}, "specification": {"type": "string"},
    "standard": {"type": "string"}, "technical_requirements": {"type": "string"}, "description": {"type": "string"},
    "images": {"type": "array", "items": {"type": "string", "format": "uri"}},
    "video": {"type": "string", "format": "uri", "nullable": True}}}}


class ShowcaseDetailSerializer(ShowcaseListSerializer):
    sections = serializers.SerializerMethodField()
    certificates = serializers.SerializerMethodField()
    products = serializers.SerializerMethodField()

    class Meta(ShowcaseListSerializer.Meta):
        fields = [*ShowcaseListSerializer.Meta.fields, "sections", "certificates", "products"]

    @extend_schema_field({"type": "object", "properties": {
        k: {"type": "string", "description": "sanitized HTML"} for k in ("profile", "development", "brand",
                                                                          "products_intro")}})
    def get_sections(self, obj) -> dict:
        content = obj.current_version.content
        return {k: content.get(k, "") for k in ("profile", "development", "brand", "products_intro")}

    @extend_schema_field(HONOR_SCHEMA)
    def get_certificates(self, obj) -> list:
        return [{"category": h["category"], "issuer": h["issuer"], "issuer_level": h["issuer_level"],
                 "issued_on": h["issued_on"], "number": h["number"]} for h in obj.current_version.content["honors"]]

    @extend_schema_field(PRODUCT_SCHEMA)
    def get_products(self, obj) -> list:
        def media(pk):
            return _absolute(self.context, reverse("honors:showcase_media", args=[obj.pk, pk]))

        return [{**{k: p[k] for k in ("name", "model", "specification", "standard", "technical_requirements",
                                       "description")},
                 "images": [media(pk) for pk in p["images"]], "video": media(p["video"]) if p["video"] else None}
                for p in obj.current_version.content["products"]]


class ReviewSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="application.reference")
    enterprise = serializers.CharField(source="application.name")
    department = serializers.CharField(source="department.name")
    opinion_pdf = serializers.SerializerMethodField()

    class Meta:
        model = DepartmentReview
        fields = ["id", "reference", "enterprise", "department", "round", "status", "opinion", "items", "due_at",
                  "decided_at", "opinion_pdf"]

    def get_opinion_pdf(self, obj) -> str | None:
        if not obj.document_id:
            return None
        return _absolute(self.context, reverse("documents:download", args=[obj.document.token]))
