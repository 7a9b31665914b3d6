from django.urls import path

from portal import feeds, follow_views, map_views, pwa, support_views, views
from portal.reporter_actions import REPORTER_ACTIONS

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("lapor/", views.submit, name="submit"),
    path("lapor/terkirim/<str:secret>/", views.submitted, name="submitted"),
    path("kategori/sub/", views.subcategories, name="subcategories"),
    path("wilayah/kelurahan/", views.kelurahan, name="kelurahan"),
    path("lacak/", views.track, name="track"),
    path("lacak/<str:secret>/", views.track_detail, name="track_detail"),
    *[
        path(f"lacak/<str:secret>/{spec.slug}/", views.track_action, {"name": name}, name=f"track_{name}")
        for name, spec in REPORTER_ACTIONS.items()
    ],
    path("lacak/<str:secret>/lampiran/<int:pk>/", views.track_attachment, name="track_attachment"),
    path("laporan/", views.public_list, name="public_list"),
    path("laporan/<str:tracking_number>/", views.public_detail, name="public_detail"),
    path("laporan/<str:tracking_number>/lampiran/<int:pk>/", views.public_attachment, name="public_attachment"),
    path("laporan/<str:tracking_number>/dukung/", support_views.support, name="support"),
    path("peta/", map_views.public_map, name="map"),
    path("peta/laporan.geojson", map_views.map_data, name="map_data"),
    path("lapor/dekat/", map_views.nearby, name="nearby"),
    # The installable app (portal/pwa.py): the worker must sit at the root to control every page.
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("luring/", pwa.offline, name="offline"),
    path("laporan-saya/", pwa.my_reports, name="my_reports"),
    path("ikuti/", follow_views.follow, name="follow"),
    path("ikuti/konfirmasi/<str:token>/", follow_views.confirm, name="follow_confirm"),
    path("ikuti/berhenti/<str:token>/", follow_views.unsubscribe, name="follow_unsubscribe"),
    path("ikuti/rss/", feeds.rss, name="follow_rss"),
    path("ikuti/atom/", feeds.atom, name="follow_atom"),
]
