import pytest


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    """A cheap password hasher and a throw-away media folder for every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """Calendar rows created by a test vanish with its rolled-back transaction (no signal
    fires), so the cached working-day calendar is reset around every test."""
    from core import workdays

    workdays.calendar_changed()
    yield
    workdays.calendar_changed()
