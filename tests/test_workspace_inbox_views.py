"""The inbox's views: fixed ones and the coordinator's saved filters, each with its live
count; new reports announced without a reload; the filters folded on a phone."""

import datetime as dt
from unittest import mock

from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from reports import actions
from tests import factory
from tests.base import AduanTestCase, TwoCoordinatorsCase
from triage.models import ReportTriage
from workspace.models import SavedFilter

INBOX = reverse("workspace:inbox")
VIEWS = reverse("workspace:inbox_views")
SAVE = reverse("workspace:save_inbox_view")
NEW = reverse("workspace:inbox_new")


def counts(response):
    return {view.name: view.count for view in response.context["views"]}


class InboxViewCountTests(TwoCoordinatorsCase):
    def fill(self):
        """Two late, one returned, one urgent, two mine; a disposed report counts in none."""
        late = [self.make_report(received_at=timezone.now() - dt.timedelta(days=20)) for _ in range(2)]
        returned = factory.make_disposed(self.coordinator, self.public_works, category=self.category)
        actions.return_disposition(returned.dispositions.get(), actor=self.pw_liaison, reason="Bukan wewenang.")
        urgent = self.make_report()
        ReportTriage.objects.update_or_create(report=urgent, defaults={"is_urgent": True})
        actions.take_report(late[0], actor=self.coordinator)
        actions.take_report(urgent, actor=self.coordinator)
        actions.take_report(self.make_report(), actor=self.colleague)
        factory.make_disposed(
            self.coordinator, self.public_works, category=self.category, received_at=late[0].received_at
        )

    def test_the_fixed_views_are_counted_as_their_lists_show(self):
        self.fill()
        response = self.client.get(INBOX)
        self.assertEqual(counts(response), {"Lewat tenggat": 2, "Dikembalikan OPD": 1, "Mendesak": 1, "Milik saya": 2})
        # Each count is the length of the list its link opens.
        for view in response.context["views"]:
            listed = self.client.get(f"{INBOX}?{view.query}").context["page"].paginator.count
            self.assertEqual(listed, view.count, view.name)

    def test_counts_refresh_by_a_small_fragment(self):
        self.fill()
        response = self.client.get(VIEWS, headers={"HX-Request": "true"})
        self.assertTemplateUsed(response, "workspace/_inbox_views.html")
        self.assertNotContains(response, "<html")
        self.assertContains(response, 'hx-trigger="every 30s"')
        before = counts(response)["Mendesak"]
        ReportTriage.objects.update_or_create(report=self.make_report(), defaults={"is_urgent": True})
        self.assertEqual(counts(self.client.get(VIEWS))["Mendesak"], before + 1)

    def test_the_shown_view_is_marked(self):
        response = self.client.get(VIEWS, {"urgent": "on", "kind": ""})
        current = [view.name for view in response.context["views"] if view.current]
        self.assertEqual(current, ["Mendesak"])

    def test_an_executive_has_no_mine(self):
        self.login(self.executive)
        self.assertNotIn("Milik saya", counts(self.client.get(INBOX)))

    def test_agency_staff_have_no_inbox_views(self):
        self.login(self.pw_liaison)
        self.assertEqual(self.client.get(VIEWS).status_code, 403)

    def test_the_count_query_number_does_not_grow_with_reports(self):
        SavedFilter.objects.create(owner=self.coordinator, name="Radio", query="channel=radio")
        self.fill()
        counted = self._queries()  # counted again: the reports changed
        self.fill()
        with self.assertNumQueries(counted):
            self.client.get(VIEWS)
        # Kept: the next view of the sidebar counts nothing (four fixed views and one saved).
        with self.assertNumQueries(counted - 5):
            self.client.get(VIEWS)

    def _queries(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            self.client.get(VIEWS)
        return len(queries)


class KeptCountTests(TwoCoordinatorsCase):
    """The counts are kept for a short while per user and role set, and counted again as
    soon as a report of the user's government changes."""

    def test_an_event_on_a_report_counts_again_at_once(self):
        report = self.make_report()
        self.assertEqual(counts(self.client.get(VIEWS))["Milik saya"], 0)
        actions.take_report(report, actor=self.coordinator)  # an event, and the report saved
        self.assertEqual(counts(self.client.get(VIEWS))["Milik saya"], 1)
        actions.release_report(report, actor=self.coordinator)
        self.assertEqual(counts(self.client.get(VIEWS))["Milik saya"], 0)

    def test_a_change_without_an_event_shows_once_the_kept_counts_expire(self):
        from workspace import inbox_views

        report = self.make_report()
        self.assertEqual(counts(self.client.get(VIEWS))["Lewat tenggat"], 0)
        type(report).objects.filter(pk=report.pk).update(due_at=timezone.now() - dt.timedelta(days=1))
        self.assertEqual(counts(self.client.get(VIEWS))["Lewat tenggat"], 0)  # kept
        later = timezone.now() + dt.timedelta(seconds=inbox_views.COUNTS_SECONDS + 1)
        with mock.patch("django.core.cache.backends.locmem.time.time", return_value=later.timestamp()):
            self.assertEqual(counts(self.client.get(VIEWS))["Lewat tenggat"], 1)

    def test_each_user_has_their_own_counts(self):
        actions.take_report(self.make_report(), actor=self.coordinator)
        self.assertEqual(counts(self.client.get(VIEWS))["Milik saya"], 1)
        self.login(self.colleague)
        self.assertEqual(counts(self.client.get(VIEWS))["Milik saya"], 0)

    def test_a_role_change_is_a_different_count(self):
        self.login(self.executive)
        executive_counts = counts(self.client.get(VIEWS))
        self.assertNotIn("Milik saya", executive_counts)
        # The same person made coordinator: their sidebar is counted for that role set.
        factory.appoint(self.executive, self.unit, Role.COORDINATOR)
        self.assertIn("Milik saya", counts(self.client.get(VIEWS)))


class SavedFilterTests(TwoCoordinatorsCase):
    def test_save_the_filters_shown_under_a_name_and_see_its_count(self):
        self.make_report(channel="radio", actor=self.coordinator)
        self.make_report()
        response = self.client.post(SAVE, {"name": " Radio ", "query": "channel=radio&page=3&q=&csrf=x"})
        saved = SavedFilter.objects.get(owner=self.coordinator)
        self.assertEqual((saved.name, saved.query), ("Radio", "channel=radio"))
        self.assertRedirects(response, f"{INBOX}?channel=radio")
        self.assertEqual(counts(self.client.get(INBOX))["Radio"], 1)

    def test_saving_under_the_same_name_replaces_its_filters(self):
        self.client.post(SAVE, {"name": "Saya", "query": "owner=me"})
        self.client.post(SAVE, {"name": "Saya", "query": "owner=me&urgent=on"})
        self.assertEqual(list(SavedFilter.objects.values_list("query", flat=True)), ["owner=me&urgent=on"])

    def test_nothing_to_save_without_a_filter(self):
        self.client.post(SAVE, {"name": "Kosong", "query": "page=2"})
        self.assertFalse(SavedFilter.objects.exists())

    def test_saved_views_are_their_owners_alone(self):
        theirs = SavedFilter.objects.create(owner=self.colleague, name="Punya rekan", query="urgent=on")
        response = self.client.get(INBOX)
        self.assertNotIn("Punya rekan", counts(response))
        self.assertNotContains(response, "Punya rekan")
        # Deleting someone else's: 404, and it stays.
        delete = reverse("workspace:delete_inbox_view", args=[theirs.pk])
        self.assertEqual(self.client.post(delete).status_code, 404)
        self.assertTrue(SavedFilter.objects.filter(pk=theirs.pk).exists())
        # Saving under the same name makes one of one's own, never touches theirs.
        self.client.post(SAVE, {"name": "Punya rekan", "query": "owner=none"})
        theirs.refresh_from_db()
        self.assertEqual(theirs.query, "urgent=on")
        self.assertEqual(SavedFilter.objects.filter(owner=self.coordinator).count(), 1)

    def test_delete_ones_own(self):
        mine = SavedFilter.objects.create(owner=self.coordinator, name="Milikku", query="owner=me")
        response = self.client.post(reverse("workspace:delete_inbox_view", args=[mine.pk]))
        self.assertRedirects(response, INBOX)
        self.assertFalse(SavedFilter.objects.exists())

    def test_at_most_twenty(self):
        for n in range(20):
            SavedFilter.objects.create(owner=self.coordinator, name=f"v{n}", query="urgent=on")
        self.client.post(SAVE, {"name": "satu lagi", "query": "urgent=on"})
        self.assertEqual(SavedFilter.objects.count(), 20)


class NewReportsTests(AduanTestCase):
    def setUp(self):
        self.login(self.coordinator)

    def test_reports_that_arrive_after_the_list_was_drawn_are_announced(self):
        self.make_report()
        since = self.client.get(INBOX).context["since"]
        response = self.client.get(NEW, {"since": since})
        self.assertNotContains(response, "laporan baru")
        self.assertContains(response, 'hx-trigger="every 30s"')
        self.make_report()
        self.make_report(kind="aspiration")
        response = self.client.get(NEW, {"since": since})
        self.assertContains(response, "2 laporan baru")
        # Only those of the filters shown.
        response = self.client.get(NEW, {"since": since, "kind": "aspiration"})
        self.assertContains(response, "1 laporan baru")
        self.assertContains(response, 'href="/kerja/kotak-masuk/?kind=aspiration"')

    def test_the_results_poll_for_new_reports(self):
        self.make_report()
        response = self.client.get(INBOX, {"kind": "complaint"}, headers={"HX-Request": "true"})
        since = response.context["since"]
        self.assertContains(response, f'hx-get="/kerja/kotak-masuk/baru/?kind=complaint&amp;since={since}"')


class PhoneFilterTests(AduanTestCase):
    def test_the_filters_fold_behind_a_filter_button(self):
        self.login(self.coordinator)
        response = self.client.get(INBOX, {"urgent": "on", "kind": "complaint"})
        self.assertContains(response, '<details class="ws-filter-panel" data-open-wide>')
        self.assertContains(response, 'Filter <span class="ws-view-count">2</span>', html=False)
