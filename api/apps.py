from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API REST")

    def ready(self):
        from api import receivers  # noqa: F401
        from api.auth import RESIDENT_SCOPE
        from apikeys import scopes

        scopes.register(RESIDENT_SCOPE, _("REST API: kirim dan ikuti laporan warga"))
