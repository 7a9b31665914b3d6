from django.urls import path

from portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("lapor/", views.submit, name="submit"),
    path("lapor/terkirim/<str:secret>/", views.submitted, name="submitted"),
    path("kategori/sub/", views.subcategories, name="subcategories"),
    path("wilayah/kelurahan/", views.kelurahan, name="kelurahan"),
    path("lacak/", views.track, name="track"),
    path("lacak/<str:secret>/", views.track_detail, name="track_detail"),
    path("lacak/<str:secret>/jawab/", views.track_reply, name="track_reply"),
    path("lacak/<str:secret>/konfirmasi/", views.track_confirm, name="track_confirm"),
    path("lacak/<str:secret>/sanggah/", views.track_dispute, name="track_dispute"),
    path("lacak/<str:secret>/nilai/", views.track_rate, name="track_rate"),
    path("lacak/<str:secret>/keberatan/", views.track_objection, name="track_objection"),
    path("lacak/<str:secret>/lampiran/<int:pk>/", views.track_attachment, name="track_attachment"),
    path("laporan/", views.public_list, name="public_list"),
    path("laporan/<str:tracking_number>/", views.public_detail, name="public_detail"),
    path("laporan/<str:tracking_number>/lampiran/<int:pk>/", views.public_attachment, name="public_attachment"),
]
