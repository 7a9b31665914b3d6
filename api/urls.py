from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.exceptions import NotFound

from api import docs
from api import views_resident as resident
from api import views_staff as staff
from api.base import ApiView

app_name = "api"


class NotFoundView(ApiView):
    """Any other address under /api/v1/: a 404 in the API's error format, not an HTML page."""

    authentication_classes = []
    permission_classes = []
    public = True
    schema = None

    def get(self, request, *args, **kwargs):
        raise NotFound()

    post = put = patch = delete = head = options = get


urlpatterns = [
    # The schema and its documentation pages are public: integrators read them first.
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path("docs/", docs.swagger_view(url_name="api:schema"), name="docs"),
    path("redoc/", docs.redoc_view(url_name="api:schema"), name="redoc"),
    # residents (no account)
    path("categories/", resident.CategoryListView.as_view(), name="categories"),
    path("regions/", resident.RegionListView.as_view(), name="regions"),
    path("resident/reports/", resident.SubmitView.as_view(), name="resident-submit"),
    path("resident/track/", resident.TrackView.as_view(), name="resident-track"),
    path("resident/reports/<str:secret>/", resident.ResidentReportView.as_view(), name="resident-report"),
    *[
        path(f"resident/reports/<str:secret>/{name}/", view.as_view(), name=f"resident-{name}")
        for name, view in resident.RESIDENT_ACTION_VIEWS.items()
    ],
    # staff (token)
    path("auth/token/", staff.TokenView.as_view(), name="token"),
    path("auth/token/revoke/", staff.RevokeTokenView.as_view(), name="token-revoke"),
    path("staff/reports/", staff.ReportListView.as_view(), name="staff-reports"),
    path("staff/reports/<int:pk>/", staff.ReportDetailView.as_view(), name="staff-report"),
    *[
        path(f"staff/reports/<int:pk>/{name}/", view.as_view(), name=f"staff-report-{name}")
        for name, view in staff.REPORT_ACTION_VIEWS.items()
    ],
    path("staff/dispositions/", staff.DispositionListView.as_view(), name="staff-dispositions"),
    path("staff/dispositions/<int:pk>/", staff.DispositionDetailView.as_view(), name="staff-disposition"),
    *[
        path(f"staff/dispositions/<int:pk>/{name}/", view.as_view(), name=f"staff-disposition-{name}")
        for name, view in staff.DISPOSITION_ACTION_VIEWS.items()
    ],
    path("staff/attachments/<int:pk>/", staff.AttachmentView.as_view(), name="staff-attachment"),
    re_path(r"^.*$", NotFoundView.as_view(), name="not-found"),
]
