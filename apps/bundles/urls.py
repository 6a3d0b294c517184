from django.urls import path

from . import views

app_name = "bundles"
urlpatterns = [
    path("", views.bundle_list, name="list"),
    path("applications/<int:pk>/", views.detail, name="detail"),
    path("applications/<int:pk>/facts/", views.apply_facts, name="apply_facts"),
    path("applications/<int:pk>/materials/", views.apply_materials, name="apply_materials"),
    path("applications/<int:pk>/review/", views.apply_review, name="apply_review"),
    path("<slug:code>/", views.bundle_page, name="bundle"),
    path("<slug:code>/apply/", views.apply_start, name="apply_start"),
]
