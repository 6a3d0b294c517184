from django.urls import path

from . import views

app_name = "catalogue"
urlpatterns = [
    path("", views.service_list, name="list"),
    path("<str:code>/", views.service_detail, name="detail"),
    path("<str:code>/samples/<int:material_id>/", views.material_sample, name="sample"),
]
