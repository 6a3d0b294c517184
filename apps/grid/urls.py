from django.urls import path

from . import views

app_name = "grid"
urlpatterns = [
    path("report/", views.report, name="report"),
    path("mine/", views.mine, name="mine"),
    path("lookup/", views.lookup, name="lookup"),
    path("stats/", views.stats, name="stats"),
    path("map/", views.grid_map, name="map"),
    path("stats/export.xlsx", views.stats_export, name="stats_export"),
    path("<str:number>/", views.detail, name="detail"),
]
