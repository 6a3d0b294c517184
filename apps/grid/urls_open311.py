from django.urls import re_path

from . import open311

app_name = "open311"
urlpatterns = [
    re_path(r"^services\.(?P<response_format>\w+)$", open311.services_list, name="services"),
    re_path(r"^services/(?P<code>[\w-]+)\.(?P<response_format>\w+)$", open311.service_definition, name="service"),
    re_path(r"^requests\.(?P<response_format>\w+)$", open311.requests_collection, name="requests"),
    re_path(r"^requests/(?P<number>[\w-]+)\.(?P<response_format>\w+)$", open311.request_detail, name="request"),
]
