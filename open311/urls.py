from django.urls import re_path

from open311 import views

app_name = "open311"
_fmt = r"\.(?P<fmt>[A-Za-z0-9]+)$"
urlpatterns = [
    re_path(r"^discovery" + _fmt, views.discovery, name="discovery"),
    re_path(r"^services" + _fmt, views.services, name="services"),
    re_path(r"^services/(?P<code>[^/]+?)" + _fmt, views.service_definition, name="service"),
    re_path(r"^requests" + _fmt, views.requests, name="requests"),
    re_path(r"^requests/(?P<request_id>[^/]+?)" + _fmt, views.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[^/]+?)" + _fmt, views.token, name="token"),
]
