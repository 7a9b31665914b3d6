from django.urls import path, re_path

from monev import views

app_name = "monev"
urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("laporan/", views.drilldown, name="reports"),
    re_path(r"^rekap\.(?P<fmt>xlsx|pdf)$", views.recap_download, name="recap"),
]
