from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.pagination import PageNumberPagination

from apps.catalogue.models import ServiceItem
from apps.catalogue.selectors import service_item_get, service_item_list

from .serializers import ServiceItemDetailSerializer, ServiceItemSerializer


class CataloguePagination(PageNumberPagination):
    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"


FILTERS = [
    OpenApiParameter("search", str, description=_("Words in the name, code, department or conditions")),
    OpenApiParameter("department", str, description=_("Department code")),
    OpenApiParameter("service_type", str, enum=["licence", "benefit", "confirmation", "public_service", "other"]),
    OpenApiParameter("audience", str, enum=["citizen", "enterprise"]),
    OpenApiParameter("life_event", int),
]


@extend_schema_view(list=extend_schema(parameters=FILTERS))
class ServiceItemViewSet(viewsets.ReadOnlyModelViewSet):
    """The public service catalogue (政务服务事项)."""

    permission_classes = [permissions.AllowAny]
    pagination_class = CataloguePagination
    lookup_field = "code"
    queryset = ServiceItem.objects.none()

    def get_queryset(self):
        params = self.request.query_params
        life_event = params.get("life_event", "")
        return service_item_list(q=params.get("search", ""), department=params.get("department", ""),
                                 service_type=params.get("service_type", ""), audience=params.get("audience", ""),
                                 life_event=life_event if life_event.isdigit() else "")

    def get_object(self):
        from django.http import Http404

        try:
            return service_item_get(code=self.kwargs["code"])
        except ServiceItem.DoesNotExist:
            raise Http404 from None

    def get_serializer_class(self):
        return ServiceItemDetailSerializer if self.action == "retrieve" else ServiceItemSerializer
