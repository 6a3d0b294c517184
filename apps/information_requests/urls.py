from django.urls import path

from . import views

app_name = "information_requests"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.new, name="new"),
    path("report/", views.annual_report, name="report"),
    path("report.xlsx", views.annual_report_xlsx, name="report_xlsx"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
