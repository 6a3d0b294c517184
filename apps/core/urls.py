from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("display/large-text", views.large_text_toggle, name="large_text_toggle"),
]
