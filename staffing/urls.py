from django.urls import path

from staffing import views

app_name = "staffing"
urlpatterns = [
    path("cakupan-sk/", views.coverage, name="coverage"),
    path("sk/dokumen/<path:name>", views.decree_document, name="decree_document"),
    path("beban-kerja/", views.workload, name="workload"),
    path("beban-kerja/<int:pk>/tugaskan/", views.assign, name="assign"),
]
