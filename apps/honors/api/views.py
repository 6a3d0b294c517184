from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from apps.core.api import lookup_or_400
from apps.honors import selectors
from apps.honors.constants import Industry, ReviewStatus
from apps.honors.models import DepartmentReview, HonorCategory, Showcase
from apps.organizations.models import AdminUnit

from .serializers import CategorySerializer, ReviewSerializer, ShowcaseDetailSerializer, ShowcaseListSerializer


class ShowcasePagination(PageNumberPagination):
    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """The 13 honor categories (荣誉类别) and the department that reviews each."""

    permission_classes = [permissions.AllowAny]
    serializer_class = CategorySerializer
    pagination_class = None
    lookup_field = "code"
    queryset = HonorCategory.objects.none()

    def get_queryset(self):
        return selectors.categories_active()


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("category", str, description=_("Honor category code, e.g. high-tech")),
    OpenApiParameter("industry", str, enum=Industry.values),
    OpenApiParameter("district", str, description=_("Division code, e.g. 211103")),
    OpenApiParameter("search", str, description=_("Chinese words, all of which must occur")),
]))
class ShowcaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Published enterprises of the honor showcase (公示展示), never a revoked or unpublished one."""

    permission_classes = [permissions.AllowAny]
    pagination_class = ShowcasePagination
    queryset = Showcase.objects.none()

    def get_serializer_class(self):
        return ShowcaseDetailSerializer if self.action == "retrieve" else ShowcaseListSerializer

    def get_queryset(self):
        params = self.request.query_params
        industry = params.get("industry", "")
        if industry and industry not in Industry.values:
            raise ValidationError({"industry": [_("“%(value)s” is not known.") % {"value": industry}]})
        return selectors.showcases_published(
            category=lookup_or_400(HonorCategory, "code", params.get("category"), "category"), industry=industry,
            district=lookup_or_400(AdminUnit, "code", params.get("district"), "district"),
            search=params.get("search", "")).select_related("current_version")


class IsStaff(permissions.BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_staff)


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("status", str, enum=ReviewStatus.values)]))
class ReviewViewSet(viewsets.ReadOnlyModelViewSet):
    """The review tasks of the caller's own department (staff only)."""

    permission_classes = [IsStaff]
    pagination_class = ShowcasePagination
    serializer_class = ReviewSerializer
    queryset = DepartmentReview.objects.none()

    def get_queryset(self):
        qs = selectors.reviews_for_staff(user=self.request.user).select_related("application", "department", "document")
        status = self.request.query_params.get("status")
        if status:
            qs = qs.filter(status=status)
        return qs.order_by("-id")
