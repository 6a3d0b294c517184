from rest_framework.routers import DefaultRouter

from apps.applications.api.views import ApplicationViewSet
from apps.catalogue.api.views import ServiceItemViewSet

app_name = "api"
router = DefaultRouter()
router.register("services", ServiceItemViewSet, basename="service")
router.register("applications", ApplicationViewSet, basename="application")
urlpatterns = router.urls
