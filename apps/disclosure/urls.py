from django.urls import path

from . import views

app_name = "disclosure"
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("coverage/", views.coverage, name="coverage"),
    path("villages/<str:code>/", views.village, name="village"),
    path("levels/<str:level>/", views.level, name="level"),
    path("catalogues/<int:pk>/", views.catalogue, name="catalogue"),
    path("catalogues/<int:pk>/export.<str:fmt>", views.export, name="export"),
    path("entries/<int:pk>/", views.entry, name="entry"),
]
