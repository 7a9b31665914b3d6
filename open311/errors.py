from django.utils.translation import gettext_lazy as _


class Open311Error(Exception):
    """An answer in GeoReport v2's error format: a list of {code, description}."""

    def __init__(self, description, status=400, headers=None):
        self.http_status = status
        self.description = str(description)
        self.headers = headers or {}
        super().__init__(self.description)


def not_found(description=None):
    return Open311Error(description or _("Tidak ditemukan."), status=404)
