from django.urls import path

from . import views

app_name = "licences"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:pk>/licence.pdf", views.pdf, name="pdf"),
]
