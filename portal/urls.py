from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("", include("apps.core.urls")),
    path("accounts/", include("apps.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("inbox/", include("apps.notifications.urls")),
    path("services/", include("apps.catalogue.urls")),
    path("applications/", include("apps.applications.urls")),
    path("bundles/", include("apps.bundles.urls")),
    path("licences/", include("apps.licences.urls")),
    path("disclosure/requests/", include("apps.information_requests.urls")),
    path("disclosure/", include("apps.disclosure.urls")),
    path("", include("apps.honors.urls")),
    path("open311/v2/", include("apps.grid.urls_open311")),
    path("grid/", include("apps.grid.urls")),
    path("files/", include("apps.attachments.urls")),
    path("", include("apps.documents.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI sets inline styles on its widgets; allow that on this one page only.
    path("api/docs/", csp_update({"style-src": [UNSAFE_INLINE]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
         name="api-docs"),
    path("api/v1/", include("portal.api_urls")),
]

handler400 = "apps.core.views.error_400"
handler403 = "apps.core.views.error_403"
handler404 = "apps.core.views.error_404"
handler500 = "apps.core.views.error_500"
