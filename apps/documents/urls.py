from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("verify/", views.verify, name="verify_form"),
    path("verify/<str:code>", views.verify, name="verify"),
    path("documents/<uuid:token>/", views.download, name="download"),
]
