from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.pagination import CursorPagination, PageNumberPagination

from apps.core.api import lookup_or_400
from apps.disclosure import selectors
from apps.disclosure.constants import Audience, Channel, Mode
from apps.disclosure.models import Catalogue, Domain, PublishedEntry
from apps.organizations.constants import AdminLevel
from apps.organizations.models import AdminUnit

from .serializers import CatalogueSerializer, EntrySerializer


class CataloguePagination(PageNumberPagination):
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"


class EntryPagination(CursorPagination):
    """Cursor pages: no COUNT over the published entries, stable under inserts."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = "id"


COMMON = [
    OpenApiParameter("level", str, enum=AdminLevel.values),
    OpenApiParameter("admin_unit", str, description=_("Division code of the government unit, e.g. 211100")),
    OpenApiParameter("domain", str, description=_("Domain code, e.g. social-assistance")),
]


@extend_schema_view(list=extend_schema(parameters=COMMON))
class CatalogueViewSet(viewsets.ReadOnlyModelViewSet):
    """Published disclosure catalogues (政务公开事项标准目录), each with links to its exports."""

    permission_classes = [permissions.AllowAny]
    pagination_class = CataloguePagination
    serializer_class = CatalogueSerializer
    queryset = Catalogue.objects.none()

    def get_queryset(self):
        params = self.request.query_params
        level = params.get("level", "")
        return selectors.catalogues_published(
            level=level if level in AdminLevel.values else None,
            admin_unit=lookup_or_400(AdminUnit, "code", params.get("admin_unit"), "admin_unit"),
            domain=lookup_or_400(Domain, "code", params.get("domain"), "domain"))


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("search", str, description=_("Chinese words, all of which must occur")),
    *COMMON,
    OpenApiParameter("catalogue", int),
    OpenApiParameter("mode", str, enum=Mode.values),
    OpenApiParameter("audience", str, enum=Audience.values),
    OpenApiParameter("channel", str, enum=Channel.values),
]))
class EntryViewSet(viewsets.ReadOnlyModelViewSet):
    """Entries of the current published versions; earlier versions are reached through the catalogue exports."""

    permission_classes = [permissions.AllowAny]
    pagination_class = EntryPagination
    serializer_class = EntrySerializer
    queryset = PublishedEntry.objects.none()

    def get_queryset(self):
        params = self.request.query_params
        catalogue = params.get("catalogue", "")
        level = params.get("level", "")
        qs = selectors.entries_search(
            q=params.get("search", ""),
            level=level if level in AdminLevel.values else "",
            admin_unit=lookup_or_400(AdminUnit, "code", params.get("admin_unit"), "admin_unit"),
            domain=lookup_or_400(Domain, "code", params.get("domain"), "domain"),
            catalogue=lookup_or_400(Catalogue, "pk", catalogue, "catalogue") if catalogue.isdigit() else None,
            mode=params.get("mode", "") if params.get("mode") in Mode.values else "",
            audience=params.get("audience", "") if params.get("audience") in Audience.values else "",
            channel=params.get("channel", "") if params.get("channel") in Channel.values else "")
        return selectors.entries_with_catalogue(qs).prefetch_related("version")
