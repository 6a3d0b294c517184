from rest_framework.routers import DefaultRouter

from apps.applications.api.views import ApplicationViewSet
from apps.catalogue.api.views import ServiceItemViewSet
from apps.disclosure.api.views import CatalogueViewSet as DisclosureCatalogueViewSet
from apps.disclosure.api.views import EntryViewSet as DisclosureEntryViewSet
from apps.honors.api.views import CategoryViewSet as HonorCategoryViewSet
from apps.honors.api.views import ReviewViewSet as HonorReviewViewSet
from apps.honors.api.views import ShowcaseViewSet
from apps.licences.api.views import LicenceViewSet

app_name = "api"
router = DefaultRouter()
router.register("services", ServiceItemViewSet, basename="service")
router.register("applications", ApplicationViewSet, basename="application")
router.register("disclosure/catalogues", DisclosureCatalogueViewSet, basename="disclosure-catalogue")
router.register("disclosure/entries", DisclosureEntryViewSet, basename="disclosure-entry")
router.register("honors/categories", HonorCategoryViewSet, basename="honor-category")
router.register("honors/reviews", HonorReviewViewSet, basename="honor-review")
router.register("showcase", ShowcaseViewSet, basename="showcase")
router.register("licences", LicenceViewSet, basename="licence")
urlpatterns = router.urls
