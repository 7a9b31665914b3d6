"""Two installations sharing one Redis (or a bench's database beside the real one) keep
their cache apart: every key starts with the database's name (aduan/settings.py)."""

import pytest
from django.test import SimpleTestCase

from tests.test_settings import start_django

SHOW_PREFIX = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.CACHES['default'].get('KEY_PREFIX'))"
)
REDIS = "redis://127.0.0.1:6379/9"


@pytest.mark.own_process
class CacheKeyPrefixTests(SimpleTestCase):
    def test_each_database_has_its_own_keys_in_a_shared_redis(self):
        blitar = start_django(
            SHOW_PREFIX, REDIS_URL=REDIS, DATABASE_URL="postgres://postgres@127.0.0.1:5432/aduan_blitar"
        )
        kediri = start_django(
            SHOW_PREFIX, REDIS_URL=REDIS, DATABASE_URL="postgres://postgres@127.0.0.1:5432/aduan_kediri"
        )

        self.assertEqual(blitar.returncode, 0, blitar.stderr)
        self.assertEqual(kediri.returncode, 0, kediri.stderr)
        self.assertEqual((blitar.stdout.strip(), kediri.stdout.strip()), ("aduan_blitar", "aduan_kediri"))

    def test_the_administrator_may_name_the_prefix(self):
        result = start_django(SHOW_PREFIX, REDIS_URL=REDIS, ADUAN_CACHE_KEY_PREFIX="blitar-prod")

        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "blitar-prod")
