from django.urls import path

from . import views

app_name = "honors"
urlpatterns = [
    path("showcase/", views.showcase_list, name="showcase_list"),
    path("showcase/<int:pk>/", views.showcase_detail, name="showcase"),
    path("showcase/<int:pk>/media/<uuid:attachment_id>/", views.showcase_media, name="showcase_media"),
    path("honors/", views.mine, name="mine"),
    path("honors/start/", views.start, name="start"),
    path("honors/<int:pk>/", views.detail, name="detail"),
    path("honors/<int:pk>/edit/", views.edit, name="edit"),
    path("honors/<int:pk>/preview/", views.preview, name="preview"),
    path("honors/<int:pk>/submit/", views.submit, name="submit"),
    path("honors/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("honors/<int:pk>/opinions/<uuid:token>/", views.opinion, name="opinion"),
]
