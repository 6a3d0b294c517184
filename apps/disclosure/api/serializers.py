from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.disclosure.columns import DATA_FIELDS
from apps.disclosure.models import Catalogue, PublishedEntry


class CatalogueSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    admin_unit = serializers.CharField(source="admin_unit.name")
    admin_unit_code = serializers.CharField(source="admin_unit.code")
    level = serializers.CharField(source="admin_unit.level")
    domain = serializers.CharField(source="domain.name")
    domain_code = serializers.CharField(source="domain.code")
    publisher = serializers.SerializerMethodField()
    version = serializers.IntegerField(source="current_version.number")
    published_at = serializers.DateTimeField(source="current_version.published_at")
    entry_count = serializers.IntegerField(source="current_version.entry_count")
    url = serializers.SerializerMethodField()
    exports = serializers.SerializerMethodField()

    class Meta:
        model = Catalogue
        fields = ["id", "title", "admin_unit", "admin_unit_code", "level", "domain", "domain_code", "publisher",
                  "version", "published_at", "entry_count", "url", "exports"]

    def get_publisher(self, obj) -> str:
        return obj.department.full_name or obj.department.name

    def _absolute(self, path):
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_url(self, obj) -> str:
        return self._absolute(reverse("disclosure:catalogue", args=[obj.pk]))

    @extend_schema_field({"type": "object", "properties": {f: {"type": "string", "format": "uri"}
                                                             for f in ("xlsx", "csv", "json", "pdf")}})
    def get_exports(self, obj) -> dict:
        return {fmt: self._absolute(reverse("disclosure:export", args=[obj.pk, fmt]))
                for fmt in ("xlsx", "csv", "json", "pdf")}


class EntrySerializer(serializers.ModelSerializer):
    catalogue = serializers.IntegerField(source="catalogue_id")
    version = serializers.IntegerField(source="version.number")
    admin_unit = serializers.CharField(source="catalogue.admin_unit.name")
    domain = serializers.CharField(source="catalogue.domain.name")
    channels = serializers.ListField(child=serializers.CharField(), source="channel_codes")

    class Meta:
        model = PublishedEntry
        fields = ["id", "catalogue", "version", "admin_unit", "level", "domain", *DATA_FIELDS]
