from django.urls import path

from lapor import views

app_name = "lapor"
urlpatterns = [
    path("impor/", views.import_page, name="import"),
    path("impor/<int:pk>/", views.import_job, name="import_job"),
    path("impor/<int:pk>/konfirmasi/", views.import_confirm, name="import_confirm"),
    path("impor/<int:pk>/batal/", views.import_discard, name="import_discard"),
    path("pemetaan/", views.mappings, name="mappings"),
    path("pemetaan/lengkapi/", views.mappings_fill, name="mappings_fill"),
    path("ekspor/", views.export, name="export"),
    path("rujukan/", views.referrals, name="referrals"),
    path("rujukan/<int:pk>/", views.referral, name="referral"),
]
