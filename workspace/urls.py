from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from notify import views as notify_views
from workspace import action_views, bulk_views, entry_views, referral_views, report_views, views

app_name = "workspace"
urlpatterns = [
    path(
        "masuk/",
        views.LoginView.as_view(template_name="workspace/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    # Logging out needs no login (a second tap, an expired session): public.
    path("keluar/", login_not_required(auth_views.LogoutView.as_view()), name="logout"),
    path("", views.home, name="home"),
    path("kotak-masuk/", views.inbox, name="inbox"),
    path("kotak-masuk/tampilan/", views.inbox_view_counts, name="inbox_views"),
    path("kotak-masuk/tampilan/simpan/", views.save_inbox_view, name="save_inbox_view"),
    path("kotak-masuk/tampilan/<int:pk>/hapus/", views.delete_inbox_view, name="delete_inbox_view"),
    path("kotak-masuk/baru/", views.inbox_new, name="inbox_new"),
    path("kotak-masuk/massal/", bulk_views.inbox_bulk, name="inbox_bulk"),
    path("disposisi/", views.dispositions, name="dispositions"),
    path("disposisi/<int:pk>/<slug:action>/", action_views.disposition_action, name="disposition_action"),
    path("laporan/", views.report_list, name="reports"),
    path("laporan/baru/", entry_views.manual_entry, name="manual_entry"),
    path("laporan/baru/tersimpan/<int:pk>/", entry_views.manual_entry_saved, name="manual_entry_saved"),
    path("laporan/mirip/", entry_views.similar_reports, name="similar_reports"),
    path("rekap/kanal/", views.channel_recap, name="channel_recap"),
    path("laporan/<int:pk>/", report_views.report_detail, name="report"),
    path("dirujuk/", referral_views.referred_out, name="referred_out"),
    path("dirujuk/<int:pk>/", referral_views.referred_report, name="referred_report"),
    path("laporan/<int:pk>/identitas/", report_views.reveal_identity, name="reveal_identity"),
    # Before the actions' pattern, which would take "kehadiran" for an action.
    path("laporan/<int:pk>/kehadiran/", report_views.report_presence, name="report_presence"),
    path("laporan/<int:pk>/balasan-cepat/", report_views.canned_reply, name="canned_reply"),
    path("laporan/<int:pk>/<slug:action>/", action_views.report_action, name="report_action"),
    path("lampiran/<int:pk>/", report_views.attachment, name="attachment"),
    path("pengiriman/", notify_views.deliveries, name="deliveries"),
    path("pengiriman/<int:pk>/kirim-ulang/", notify_views.retry, name="retry_delivery"),
]
