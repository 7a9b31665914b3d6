"""The report lists' rows written in Python (workspace/rows.py) are the HTML the template's
loop drew before (``FORMER_ROWS``: tests/fixtures/former_report_rows.html, kept verbatim):
for rows of every shape — urgent, overdue, on hold past its deadline, returned and
reopened, confidential, anonymous (masked for an agency, not for the coordinator), with
and without an owner, category, kelurahan or deadline, words to escape and a long headline
— with and without the bulk check boxes and the owner column, in Indonesian and English,
and on the inbox and report list pages themselves."""

import datetime as dt
from pathlib import Path

import time_machine
from django.conf import settings
from django.http import QueryDict
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from agencies.roles import staff_profile
from reports.models import Channel, Report, Status
from tests import factory
from tests.base import TwoCoordinatorsCase
from workspace import views
from workspace.lists import listed_reports
from workspace.rows import ReportRows

# The loop of workspace/_report_table.html before workspace/rows.py, kept verbatim.
FORMER_ROWS = Template(
    "{% load i18n humanize workspace_tags report_words %}"
    + (Path(__file__).parent / "fixtures" / "former_report_rows.html").read_text(encoding="utf-8").rstrip("\n")
)


class ReportRowsTests(TwoCoordinatorsCase):
    def setUp(self):
        super().setUp()
        # naturaltime reads the clock: the data and both renderings at one frozen moment.
        self.clock = time_machine.travel(timezone.now().replace(microsecond=0), tick=False)
        self.clock.start()
        self.addCleanup(self.clock.stop)

    def days_ago(self, n, **more):
        return timezone.now() - dt.timedelta(days=n, **more)

    def make_shapes(self):
        """Reports of every shape the rows draw; returns them by name."""
        self.colleague.first_name, self.colleague.last_name = "Dewi <Ayu>", "O'Hara"
        self.colleague.save()
        nameless = factory.make_staff(factory.Role.COORDINATOR, self.unit, "koordinator3")
        shapes = {
            "plain": self.make_report(),
            "escaped": self.make_report(title="Lampu <b>\"mati\"</b> & 'gelap'"),
            "long": self.make_report(description="Jalan berlubang besar " * 12),
            "overdue": self.make_report(received_at=self.days_ago(9)),
            "urgent": self.make_report(received_at=self.days_ago(2, hours=5)),
            "confidential": self.make_report(is_confidential=True, channel=Channel.WHATSAPP),
            "anonymous": factory.make_disposed(
                self.coordinator,
                self.public_works,
                category=self.category,
                region=None,
                is_anonymous=True,
                description="Saya Siti Aminah, HP 081234567890: got mampet di gang kami.",
            ),
            "named disposed": factory.make_disposed(
                self.coordinator, self.public_works, category=None, region=self.kelurahan
            ),
            "mine": self.make_report(),
            "colleague's": self.make_report(),
            "nameless owner's": self.make_report(),
        }
        Report.objects.filter(pk=shapes["urgent"].pk).update(is_urgent=True)
        Report.objects.filter(pk=shapes["overdue"].pk).update(return_count=2, reopen_count=1, support_count=1234)
        Report.objects.filter(pk=shapes["plain"].pk).update(support_count=3)
        Report.objects.filter(pk=shapes["mine"].pk).update(owner=self.coordinator)
        Report.objects.filter(pk=shapes["colleague's"].pk).update(owner=self.colleague)
        Report.objects.filter(pk=shapes["nameless owner's"].pk).update(owner=nameless)
        held = self.make_report(received_at=self.days_ago(12))
        Report.objects.filter(pk=held.pk).update(status=Status.ON_HOLD)
        Report.objects.filter(pk=shapes["named disposed"].pk).update(is_urgent=True, return_count=1)
        return shapes

    def page_rows(self, user, query=""):
        """The rows of the report list (every report) as the view reads them."""
        request = RequestFactory().get(reverse("workspace:reports") + ("?" + query if query else ""))
        request.user = user
        _, reports = listed_reports(user, QueryDict(query), queue=False)
        reports = list(reports.select_related("category__parent", "region", "owner")[: views.PAGE_SIZE])
        now = timezone.now()
        for report in reports:
            report.deadline_overdue = bool(
                report.deadline and report.deadline < now and report.status != Status.ON_HOLD
            )
        return request, reports

    def assert_same_rows(self, user, *, bulk, owner_column, query=""):
        request, reports = self.page_rows(user, query)
        staff = staff_profile(user)
        for language in ("id", "en"):
            with translation.override(language):
                former = FORMER_ROWS.render(
                    Context(
                        {
                            "page": {"object_list": reports},
                            "request": request,
                            "bulk_form": object() if bulk else None,
                            "staff": {"sees_everything": owner_column},
                        }
                    )
                )
                rows = ReportRows(request, bulk=bulk, owner_column=owner_column).html(reports)
            self.assertEqual(f"<tbody>{rows}</tbody>", former, (language, bulk, owner_column))
            self.assertEqual(rows.count("<tr "), len(reports))
        return reports, staff

    def test_every_shape_is_drawn_as_the_template_drew_it_for_the_coordinator(self):
        shapes = self.make_shapes()
        for bulk in (True, False):
            for owner_column in (True, False):
                reports, _ = self.assert_same_rows(
                    self.coordinator, bulk=bulk, owner_column=owner_column, query="sort=supports&q="
                )
        self.assertEqual(len(reports), len(shapes) + 1)
        # The shapes are there to compare: an overdue, an urgent and an on-hold report past
        # its deadline (never overdue), a report with no deadline left.
        overdue = {r.tracking_number for r in reports if r.deadline_overdue}
        self.assertIn(shapes["overdue"].tracking_number, overdue)
        self.assertTrue(any(r.status == Status.ON_HOLD and r.deadline < timezone.now() for r in reports))
        self.assertTrue(any(r.is_urgent for r in reports))

    def test_an_anonymous_report_is_masked_for_the_agency_as_before(self):
        shapes = self.make_shapes()
        reports, staff = self.assert_same_rows(self.pw_liaison, bulk=False, owner_column=False)
        self.assertFalse(staff.sees_everything)
        anonymous = next(r for r in reports if r.pk == shapes["anonymous"].pk)
        rows = ReportRows(self.page_rows(self.pw_liaison)[0], bulk=False, owner_column=False).html([anonymous])
        self.assertNotIn("081234567890", rows)
        self.assertNotIn("Siti Aminah", rows)
        self.assertIn("HP [nomor telepon]: got mampet", rows)

    def test_the_inbox_and_the_report_list_draw_the_former_rows_with_their_own_options(self):
        self.make_shapes()
        for path, bulk in ((reverse("workspace:inbox"), True), (reverse("workspace:reports"), False)):
            for language in ("id", "en"):
                self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
                response = self.client.get(path + "?page=1")
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.context["LANGUAGE_CODE"], language)
                context = response.context
                self.assertEqual(bool(context.get("bulk_form")), bulk)
                with translation.override(language):
                    former = FORMER_ROWS.render(
                        Context(
                            {
                                "page": context["page"],
                                "request": context["request"],
                                "bulk_form": context.get("bulk_form"),
                                "staff": context["staff"],
                            }
                        )
                    )
                self.assertGreater(former.count("<tr "), 5)
                self.assertTrue(former in response.content.decode(), (path, language))
