from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("akun/", views.security, name="security"),
    path("akun/verifikasi/", views.verify, name="verify"),
    path("akun/2fa/pasang/", views.setup, name="setup"),
    path("akun/2fa/kode-pemulihan/", views.recovery_codes, name="recovery_codes"),
    path("akun/2fa/kode-pemulihan/baru/", views.regenerate_codes, name="regenerate_codes"),
    path("akun/2fa/matikan/", views.disable, name="disable"),
    path("lupa-sandi/", views.PasswordResetView.as_view(), name="password_reset"),
    path("lupa-sandi/terkirim/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("sandi-baru/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("sandi-baru/selesai/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
