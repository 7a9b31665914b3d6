from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiKeysConfig(AppConfig):
    name = "apikeys"
    verbose_name = _("Kunci API")
    default_auto_field = "django.db.models.BigAutoField"
