from django.urls import path, re_path

from monev import views

app_name = "transparency"
urlpatterns = [
    path("", views.transparency, name="page"),
    re_path(r"^data\.(?P<fmt>csv|json)$", views.open_data, name="open_data"),
]
