from django.urls import path

from . import views

app_name = "grid"
urlpatterns = [
    path("report/", views.report, name="report"),
    path("mine/", views.mine, name="mine"),
    path("lookup/", views.lookup, name="lookup"),
    path("<str:number>/", views.detail, name="detail"),
]
