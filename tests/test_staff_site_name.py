"""The home government's id, cached (governments.models.home_government_id), follows even
a bulk update, which saves no Government and clears no cache, within HOME_TIMEOUT."""

import datetime as dt

import time_machine
from django.core.cache import cache
from django.utils import timezone

from governments.models import HOME_TIMEOUT, Government, home_government_id, site_name
from tests.test_site_name import SiteNameCase


class HomeGovernmentCacheTests(SiteNameCase):
    def test_a_bulk_update_is_read_once_the_cached_home_expires(self):
        cache.clear()
        now = timezone.now()
        with time_machine.travel(now, tick=False):
            self.assertEqual(home_government_id(), self.blitar.pk)
            # No save, so no cache cleared: Blitar stops serving, Kediri is the oldest active one.
            Government.objects.filter(pk=self.blitar.pk).update(is_active=False)
            self.assertEqual(home_government_id(), self.blitar.pk)  # still the cached one
        with time_machine.travel(now + dt.timedelta(seconds=HOME_TIMEOUT - 1), tick=False):
            self.assertEqual(home_government_id(), self.blitar.pk)
        with time_machine.travel(now + dt.timedelta(seconds=HOME_TIMEOUT + 1), tick=False):
            self.assertEqual(home_government_id(), self.kediri.pk)
            self.assertEqual(site_name(self.kediri), "Aduan Kota Blitar")
