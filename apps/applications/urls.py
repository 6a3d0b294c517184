from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("", views.my_applications, name="mine"),
    path("lookup/", views.lookup, name="lookup"),
    path("satisfaction/", views.satisfaction, name="satisfaction"),
    path("new/<str:code>/", views.apply_start, name="apply_start"),
    path("new/<str:code>/for-someone/", views.apply_as_agent, name="apply_as_agent"),
    path("<int:pk>/applicant/", views.apply_applicant, name="apply_applicant"),
    path("<int:pk>/materials/", views.apply_materials, name="apply_materials"),
    path("<int:pk>/review/", views.apply_review, name="apply_review"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/resubmit/", views.resubmit, name="resubmit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/rate/", views.rate, name="rate"),
]
