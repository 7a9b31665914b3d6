from django.urls import path

from triage import views

app_name = "triage"

urlpatterns = [
    path("laporan/<int:pk>/saran/<int:rank>/terapkan/", views.accept_suggestion, name="accept"),
    path("laporan/<int:pk>/gabungkan/", views.merge_duplicate, name="merge"),
    path("laporan/<int:pk>/bukan-duplikat/", views.reject_duplicate, name="reject_duplicate"),
    path("mutu-saran/", views.suggestion_quality, name="quality"),
]
