"""Residents' "me too" in monev: the supports the period brought to the reports in scope,
and the most supported of them, for the coordinator and (narrowed) for an agency."""

import datetime as dt

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from monev import support
from monev.figures import Filter
from reports import actions
from reports.models import Support
from tests import factory
from tests.base import AduanTestCase


class MonevSupportTests(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.road = factory.make_disposed(cls.coordinator, cls.public_works, category=cls.category, region=cls.kelurahan)
        cls.lamp = factory.make_disposed(cls.coordinator, cls.transport, category=cls.category, region=cls.kelurahan)
        cls.unsupported = factory.make_disposed(cls.coordinator, cls.transport, category=cls.category)
        for device in ("a", "b", "old"):
            actions.support_report(cls.road, device=device)
        actions.support_report(cls.lamp, device="c")
        # One of the road's supports came last month: not this period's.
        today = timezone.localdate()
        last_month = timezone.make_aware(dt.datetime.combine(today.replace(day=1) - dt.timedelta(days=1), dt.time(12)))
        cls.old = Support.objects.filter(report=cls.road).order_by("-pk").first()
        Support.objects.filter(pk=cls.old.pk).update(created_at=last_month)
        cls.month = Filter(today.replace(day=1), today)

    def setUp(self):
        cache.clear()

    def test_the_periods_supports_and_the_most_supported_reports(self):
        self.assertEqual(support.supports_in_period(self.month), 3)
        rows = support.most_supported(self.month)

        self.assertEqual(
            [(r.tracking_number, r.supports) for r in rows],
            [(self.road.tracking_number, 2), (self.lamp.tracking_number, 1)],
        )
        self.assertEqual(rows[0].kelurahan, self.kelurahan.name)
        self.assertEqual(support.most_supported(self.month.with_(agency=self.transport.pk))[0].pk, self.lamp.pk)

    def test_the_coordinators_dashboard_lists_them_with_links_and_an_agency_sees_its_own(self):
        query = {"start": self.month.start.isoformat(), "end": self.month.end.isoformat()}
        self.login(self.coordinator)
        page = self.client.get(reverse("monev:dashboard"), query)

        self.assertContains(page, "Dukungan warga")
        self.assertContains(
            page,
            f'<a href="{reverse("workspace:report", args=[self.road.pk])}">{self.road.tracking_number}</a>',
            html=True,
        )
        self.assertNotContains(page, self.unsupported.tracking_number)

        self.login(self.transport_liaison)
        own = self.client.get(reverse("monev:dashboard"), query)
        self.assertContains(own, self.lamp.tracking_number)
        self.assertNotContains(own, self.road.tracking_number)  # disposed to another agency
