from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo city (``manage.py load_demo``): a top-level app, since it uses them all."""

    name = "demo"
    verbose_name = "Kota contoh"
