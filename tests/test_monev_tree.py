"""Monev up the tree (issue 20): a province (Jawa Timur) with two cities (Kota Blitar, the
installation's government, and Kota Kediri). The province's coordinators and executives
see a row per kabupaten/kota and open one, figures only; a city never reads the
province's or a sibling's figures; a province's agency staff read no government's
figures; recaps carry the level's table and letterhead; the province downloads a child's
recap, figures only, under the child's letterhead and signatory; the public page shows the
province as a whole. The access tests fail without StaffProfile.figures_government_ids
and reports.access.figures_government_for."""

import io

from django.core.cache import cache
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, Role
from agencies.roles import staff_profile
from governments.models import Government
from monev import dashboard, figures, recap, recap_levels, sums, tree
from reports import access, actions
from tests import factory
from tests.base import TwoGovernmentsBase
from tests.pdfpages import flat_text, pages_of
from tests.rollup import rebuilt
from tests.rollup import rows as rollup_rows


def this_month(**more):
    today = timezone.localdate()
    return figures.Filter(today.replace(day=1), today, **more)


def month_query(**more):
    flt = this_month()
    return {"start": flt.start.isoformat(), "end": flt.end.isoformat(), **more}


class ProvinceCase(TwoGovernmentsBase):
    """Kota Blitar and Kota Kediri (TwoGovernmentsBase) under the province of Jawa Timur."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.province, cls.province_unit = factory.make_government(
            "Provinsi Jawa Timur", prefix="JTM", kind=Government.Kind.PROVINCE
        )
        cls.province.letterhead_name = "Pemerintah Provinsi Jawa Timur"
        cls.province.save()
        cls.blitar.parent = cls.province
        cls.blitar.letterhead_name = "Pemerintah Kota Blitar"
        cls.blitar.save()
        cls.kediri.parent = cls.province
        cls.kediri.save()
        cls.province_category = factory.make_category("Jalan provinsi", government=cls.province)
        cls.province_agency = factory.make_agency("Dinas PU Bina Marga", government=cls.province)
        cls.governor = factory.make_staff(Role.EXECUTIVE, cls.province_unit, "gubernur")
        cls.province_coordinator = factory.make_staff(Role.COORDINATOR, cls.province_unit, "koordinator_jatim")
        cls.province_liaison = factory.make_staff(Role.LIAISON, cls.province_agency, "penghubung_jatim")

    def setUp(self):
        super().setUp()
        cache.clear()
        # Kota Blitar: two resolved (rated 4 and 2), one returned by its agency.
        self.blitar_reports = []
        for rating in (4, 2):
            report = factory.make_resolved(self.coordinator, self.transport, self.transport_liaison)
            actions.rate_report(report, actor=factory.reporter_of(report), rating=rating)
            self.blitar_reports.append(report)
        returned = factory.make_disposed(self.coordinator, self.transport, category=self.category)
        actions.return_disposition(returned.dispositions.get(), actor=self.transport_liaison, reason="Bukan wewenang.")
        self.blitar_reports.append(returned)
        # Kota Kediri: one resolved, rated 5.
        self.kediri_report = factory.make_resolved(
            self.kediri_coordinator, self.kediri_transport, self.kediri_liaison, category=self.kediri_category
        )
        actions.rate_report(self.kediri_report, actor=factory.reporter_of(self.kediri_report), rating=5)
        # The province's own: one received.
        self.province_report = factory.make_report(category=self.province_category)

    def forward_to_a_unit(self, kediri=False):
        """A report of Kota Blitar's (``kediri``: Kota Kediri's) transport agency forwarded to
        a unit of it, so the agency's recap has a units part; answers the unit."""
        if kediri:
            agency, government, category = self.kediri_transport, self.kediri, self.kediri_category
            coordinator, liaison = self.kediri_coordinator, self.kediri_liaison
        else:
            agency, government, category = self.transport, self.blitar, self.category
            coordinator, liaison = self.coordinator, self.transport_liaison
        unit = factory.make_agency("Bidang Lalu Lintas", kind=Agency.Kind.UNIT, parent=agency, government=government)
        factory.make_staff(Role.LIAISON, unit, f"penghubung_lalin_{government.tracking_prefix.lower()}")
        report = factory.make_disposed(coordinator, agency, category=category)
        actions.forward_to_unit(report.dispositions.get(), actor=liaison, unit=unit)
        return unit


class FiguresRuleTests(ProvinceCase):
    def test_the_province_reads_its_childrens_figures_a_city_only_its_own(self):
        self.assertEqual(
            staff_profile(self.governor).figures_government_ids, {self.province.pk, self.blitar.pk, self.kediri.pk}
        )
        self.assertEqual(
            staff_profile(self.province_coordinator).figures_government_ids,
            {self.province.pk, self.blitar.pk, self.kediri.pk},
        )
        self.assertEqual(staff_profile(self.kediri_coordinator).figures_government_ids, {self.kediri.pk})
        self.assertEqual(staff_profile(self.executive).figures_government_ids, {self.blitar.pk})

    def test_a_provinces_agency_staff_read_no_governments_figures(self):
        # Decided (docs/architecture.md, "Tenancy"): figures of a government are its
        # overseers'; an agency's staff read their agency's, also in a province.
        self.assertEqual(staff_profile(self.province_liaison).figures_government_ids, frozenset())
        with self.assertRaises(Http404):
            access.figures_government_for(self.province_liaison, self.kediri.pk)

    def test_figures_government_for_says_own_or_figures_only(self):
        self.assertEqual(access.figures_government_for(self.governor), access.FiguresScope(self.province.pk, True))
        child = access.figures_government_for(self.governor, str(self.kediri.pk))
        self.assertEqual(child, access.FiguresScope(self.kediri.pk, False))
        for user, wanted in (
            (self.kediri_coordinator, self.province.pk),  # the province above
            (self.kediri_coordinator, self.blitar.pk),  # a sibling
            (self.executive, self.kediri.pk),
            (self.governor, "abc"),
            (self.governor, 10**6),
        ):
            with self.subTest(user=user.username, wanted=wanted), self.assertRaises(Http404):
                access.figures_government_for(user, wanted)

    def test_the_province_reads_no_report_of_its_children(self):
        self.assertEqual(list(access.reports_visible_to(self.governor)), [self.province_report])
        self.assertEqual(list(access.reports_counted_for(self.province_coordinator)), [self.province_report])
        with self.assertRaises(Http404):
            access.get_report_for(self.governor, self.kediri_report.pk)


class TreeFiguresTests(ProvinceCase):
    def test_a_row_per_child_with_the_childs_own_figures(self):
        rows = tree.children_rows(this_month(government=self.province.pk))
        self.assertEqual({row.government for row in rows}, {self.blitar, self.kediri})
        blitar, kediri = sorted(rows, key=lambda row: row.government != self.blitar)
        self.assertEqual((blitar.received, blitar.returned, blitar.rating_mean), (3, 1, 3.0))
        self.assertEqual((blitar.on_time.hits, blitar.on_time.total), (2, 2))
        self.assertEqual(blitar.resolution_days_mean, 0.0)
        self.assertEqual((kediri.received, kediri.returned, kediri.rating_mean), (1, 0, 5.0))
        for row in rows:  # the same numbers as the child's own board
            own = sums.compute(this_month(government=row.government.pk))
            self.assertEqual(row.figures.as_dict(), own.as_dict())

    def test_the_province_as_a_whole_is_its_own_plus_its_childrens(self):
        flt = this_month(government=self.province.pk)
        whole = tree.tree(flt).whole
        own = sums.compute(flt)
        self.assertEqual(own.received, 1)
        self.assertEqual(whole.received, 1 + 3 + 1)
        self.assertEqual(whole.returned, 1)
        self.assertEqual(whole.rating_mean, round((4 + 2 + 5) / 3, 2))
        self.assertEqual((whole.on_time.hits, whole.on_time.total), (3, 3))
        self.assertEqual(whole.figures.backlog_total, own.backlog_total + 1)  # Blitar's returned report waits

    def test_each_childs_row_counts_its_referrals_and_the_returns_it_gave_back(self):

        report = factory.make_report(category=self.kediri_category)
        with factory.muted():
            actions.refer_report(report, actor=self.kediri_coordinator, government=self.blitar, reason="Jalan kota.")
            actions.return_referral(report, actor=self.coordinator, reason="Ternyata jalan Kota Kediri.")
        children = {row.government: row for row in tree.children_rows(this_month(government=self.province.pk))}
        self.assertEqual((children[self.kediri].referred, children[self.kediri].referral_returned), (1, 0))
        self.assertEqual((children[self.blitar].referred, children[self.blitar].referral_returned), (0, 1))
        self.assertEqual(children[self.blitar].returned, 1)  # its agency's return, a level below, apart
        board = dashboard.build(this_month(government=self.province.pk))
        table = next(t for t in recap_levels.tables(board) if t.sheet == "Kabupaten-kota")
        by_name = {row[0]: dict(zip(table.header, row, strict=True)) for row in table.rows}
        self.assertEqual(by_name[str(self.blitar)]["Rujukan dikembalikan"], 1)
        self.assertEqual(by_name[str(self.kediri)]["Dirujuk ke pemerintah lain"], 1)
        self.assertEqual(by_name["Seluruh provinsi"]["Dirujuk ke pemerintah lain"], 1)
        self.assertEqual(rollup_rows(), rebuilt())

    def test_a_city_has_no_tree(self):
        self.assertIsNone(tree.tree(this_month(government=self.kediri.pk)))

    def test_query_count_stays_constant_as_children_grow(self):
        flt = this_month(government=self.province.pk)

        def queries():
            cache.clear()
            with CaptureQueriesContext(connection) as ctx:
                built = tree.tree(flt)
            return len(ctx.captured_queries), len(built.rows)

        two = queries()
        for i in range(3):
            child, unit = factory.make_government(f"Kabupaten {i}", prefix=f"KAB{i}", parent=self.province)
            coordinator = factory.make_staff(Role.COORDINATOR, unit, f"koordinator_kab{i}")
            factory.make_verified(coordinator, category=factory.make_category(f"Jalan {i}", government=child))
        five = queries()
        self.assertEqual((two[1], five[1]), (2, 5))
        self.assertEqual(two[0], five[0])


class ProvinceBoardTests(ProvinceCase):
    def test_the_province_board_lists_each_child_with_a_link_to_open_it(self):
        self.login(self.governor)
        response = self.client.get(reverse("monev:dashboard"), month_query())
        self.assertEqual(response.status_code, 200)
        html = str(response.context["board_html"])
        self.assertIn('id="kabupaten-kota"', html)
        for child in (self.blitar, self.kediri):
            self.assertIn(f"government={child.pk}&amp;", html)
            self.assertIn(child.name, html)
        self.assertIn("Seluruh provinsi", html)

    def test_the_province_opens_a_child_figures_only(self):
        self.login(self.governor)
        response = self.client.get(reverse("monev:dashboard"), month_query(government=self.kediri.pk))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["child"], self.kediri)
        self.assertContains(response, "Monitoring dan evaluasi: Kota Kediri")
        self.assertContains(response, f'name="government" value="{self.kediri.pk}"')
        html = str(response.context["board_html"])
        self.assertNotIn(reverse("monev:reports"), html)  # no list behind a number
        self.assertNotIn(reverse("workspace:report", args=[self.kediri_report.pk]), html)
        self.assertNotIn(self.kediri_report.tracking_number, response.content.decode())
        self.assertIn("Dinas Perhubungan", html)  # the child's own scorecard: figures
        # Its recaps, figures only (ChildRecapTests), are the child's.
        for fmt in ("xlsx", "pdf"):
            self.assertIn(f"government={self.kediri.pk}", response.context["downloads"][fmt])
            self.assertContains(response, response.context["downloads"][fmt].replace("&", "&amp;"))

    def test_someone_overseeing_two_governments_picks_one_with_its_lists(self):
        factory.appoint(self.governor, self.unit, Role.EXECUTIVE)  # also Kota Blitar's executive
        self.login(self.governor)
        response = self.client.get(reverse("monev:dashboard"), month_query(government=self.blitar.pk))
        self.assertIsNone(response.context["child"])
        self.assertIn("downloads", response.context)
        self.assertIn(reverse("monev:reports"), str(response.context["board_html"]))  # its own: lists open
        listed = self.client.get(reverse("monev:reports"), month_query(government=self.blitar.pk, metric="received"))
        numbers = {r.tracking_number for r in listed.context["page"].object_list}
        self.assertEqual(numbers, {r.tracking_number for r in self.blitar_reports})

    def test_the_chosen_governments_board_links_carry_it(self):
        factory.appoint(self.governor, self.unit, Role.EXECUTIVE)  # also Kota Blitar's executive
        self.login(self.governor)
        response = self.client.get(reverse("monev:dashboard"), month_query(government=self.blitar.pk))
        html = str(response.context["board_html"])
        received = dashboard.drilldown_url(this_month(government=self.blitar.pk), "received", government=self.blitar.pk)
        self.assertIn(received.replace("&", "&amp;"), html)
        self.assertIn(f"government={self.blitar.pk}", response.context["downloads"]["xlsx"])
        self.assertContains(response, f'name="government" value="{self.blitar.pk}"')  # the filter keeps it
        # Followed, the link lists Kota Blitar's reports (the governor's default is the province).
        listed = self.client.get(received)
        numbers = {r.tracking_number for r in listed.context["page"].object_list}
        self.assertEqual(numbers, {r.tracking_number for r in self.blitar_reports})
        self.assertIn(f"government={self.blitar.pk}", listed.context["back"])
        # Without ?government= the board is the default one and its links stay as they were.
        default = self.client.get(reverse("monev:dashboard"), month_query())
        self.assertNotIn("government=", default.context["downloads"]["xlsx"])

    def test_the_province_cannot_list_a_childs_reports(self):
        self.login(self.governor)
        drill = self.client.get(reverse("monev:reports"), month_query(government=self.kediri.pk, metric="received"))
        self.assertEqual(drill.status_code, 404)
        self.assertEqual(self.client.get(reverse("workspace:report", args=[self.kediri_report.pk])).status_code, 404)

    def test_a_city_cannot_open_the_province_or_a_sibling(self):
        self.login(self.kediri_coordinator)
        for government in (self.province, self.blitar):
            got = self.client.get(reverse("monev:dashboard"), month_query(government=government.pk))
            self.assertEqual(got.status_code, 404)
        own = self.client.get(reverse("monev:dashboard"), month_query())
        self.assertNotIn('id="kabupaten-kota"', str(own.context["board_html"]))

    def test_a_provinces_agency_staff_cannot_open_a_child(self):
        self.login(self.province_liaison)
        got = self.client.get(reverse("monev:dashboard"), month_query(government=self.kediri.pk))
        self.assertEqual(got.status_code, 404)
        own = self.client.get(reverse("monev:dashboard"), month_query())
        self.assertEqual(own.status_code, 200)
        self.assertNotIn('id="kabupaten-kota"', str(own.context["board_html"]))

    def test_the_board_costs_the_same_queries_with_more_children(self):
        self.login(self.governor)
        url = reverse("monev:dashboard")

        def count():
            cache.clear()
            with CaptureQueriesContext(connection) as ctx:
                self.client.get(url, month_query())
            return len(ctx.captured_queries)

        count()  # the session, the calendar
        before = count()
        for i in range(3):
            factory.make_government(f"Kabupaten {i}", prefix=f"KAB{i}", parent=self.province)
        self.assertEqual(count(), before)


class WarmUpTests(ProvinceCase):
    def test_the_warm_up_prepares_every_active_governments_board_once(self):
        inactive, _unit = factory.make_government("Kota Batu", prefix="BTU", parent=self.province)
        inactive.is_active = False
        inactive.save()
        rebuilt = dashboard.warm()
        for slug in (self.province.slug, self.kediri.slug):
            for label in ("dashboard, this month", "dashboard, last month", "public page, default period"):
                self.assertIn(f"{label} ({slug})", rebuilt)
        self.assertIn("dashboard, this month", rebuilt)  # the default government's, as before
        self.assertEqual(len(rebuilt), 3 * 3)  # three boards for each active government, none for Kota Batu
        # The board a Kediri coordinator opens is the one the warm-up built.
        flt = this_month(government=self.kediri.pk).with_(end=figures.period_bounds("month", this_month().start)[1])
        dims = list(figures.DIMENSIONS)
        self.assertIsNotNone(cache.get(dashboard.board_key(flt, with_scorecard=True, dimensions=dims)))
        self.login(self.kediri_coordinator)
        response = self.client.get(reverse("monev:dashboard"), {"preset": "month"})
        self.assertEqual(response.context["form"].to_filter(), flt)
        # Bounded: a second pass right after rebuilds only this month's short-lived boards,
        # one per government.
        again = dashboard.warm()
        self.assertEqual(len(again), 3)
        self.assertTrue(all(label.startswith("dashboard, this month") for label in again))


class LevelRecapTests(ProvinceCase):
    def book(self, user, **query):
        from openpyxl import load_workbook

        self.login(user)
        response = self.client.get(reverse("monev:recap", args=["xlsx"]), month_query(**query))
        self.assertEqual(response.status_code, 200)
        return load_workbook(io.BytesIO(response.content))

    def test_the_provinces_recap_has_a_row_per_child_and_its_letterhead(self):
        book = self.book(self.governor)
        self.assertEqual(book["Ringkasan"]["A1"].value, "Pemerintah Provinsi Jawa Timur")
        rows = list(book["Kabupaten-kota"].iter_rows(values_only=True))
        self.assertEqual(rows[0][0], "Kabupaten/kota")
        blitar = (self.blitar.name, 3)
        self.assertEqual(sorted(r[:2] for r in rows[1:3]), sorted([blitar, ("Kota Kediri", 1)]))
        self.assertEqual(rows[3][:2], ("Seluruh provinsi", 5))
        self.assertIn((self.blitar.name, 3, 100, 0, 1, 0, 0, 3), rows)

    def test_a_citys_recap_has_its_agencies_and_its_letterhead_but_no_children(self):
        book = self.book(self.executive)
        self.assertEqual(book["Ringkasan"]["A1"].value, "Pemerintah Kota Blitar")
        self.assertNotIn("Kabupaten-kota", book.sheetnames)
        self.assertIn("Rapor OPD", book.sheetnames)

    def test_an_agencys_recap_has_its_units_part_and_its_name_on_the_letterhead(self):
        self.forward_to_a_unit()
        book = self.book(self.transport_liaison)
        heading = (book["Ringkasan"]["A1"].value, book["Ringkasan"]["B1"].value)
        self.assertEqual(heading, ("Pemerintah Kota Blitar", "Dinas Perhubungan"))
        rows = list(book["Unit kerja"].iter_rows(values_only=True))
        self.assertEqual(rows[1][:2], ("Bidang Lalu Lintas", 1))

    def test_an_agencys_pdf_recap_has_its_units_part_under_its_name(self):
        self.forward_to_a_unit()
        board = dashboard.build(this_month(government=self.blitar.pk, agency=self.transport.pk), with_scorecard=False)
        pages, images = pages_of(recap.pdf(board), "agency")
        self.assertTrue(images)
        text = flat_text("agency")
        self.assertIn("PEMERINTAH KOTA BLITAR", text)
        self.assertIn("DINAS PERHUBUNGAN", text)
        self.assertIn("Bagian unit kerja", text)
        self.assertIn("Bidang Lalu Lintas", text)

    def test_a_coordinator_looking_at_one_agency_sees_its_units_part(self):
        self.forward_to_a_unit()
        self.login(self.coordinator)
        response = self.client.get(reverse("monev:dashboard"), month_query(agency=self.transport.pk))
        html = str(response.context["board_html"])
        self.assertIn('id="bagian-unit"', html)
        self.assertIn("Bidang Lalu Lintas", html)

    def test_the_pdf_of_each_level_carries_its_letterhead_and_table(self):
        province_board = dashboard.build(this_month(government=self.province.pk))
        pages, images = pages_of(recap.pdf(province_board), "province")
        self.assertTrue(images)
        text = flat_text("province")
        self.assertIn("PEMERINTAH PROVINSI JAWA TIMUR", text)
        self.assertIn("Kota Kediri", text)
        self.assertIn("Seluruh provinsi", text)
        city_board = dashboard.build(this_month(government=self.blitar.pk))
        pages_of(recap.pdf(city_board), "city")
        text = flat_text("city")
        self.assertIn("PEMERINTAH KOTA BLITAR", text)
        self.assertNotIn("Seluruh provinsi", text)


class ChildRecapTests(ProvinceCase):
    """A province's coordinators and executives download a kabupaten/kota's recap: its
    figures only (as its board: no report listed, no units' part), under its own letterhead
    and signature block."""

    def setUp(self):
        super().setUp()
        Government.objects.filter(pk=self.kediri.pk).update(
            letterhead_name="Pemerintah Kota Kediri",
            letterhead_unit="Dinas Komunikasi dan Informatika",
            signatory_place="Kediri",
            signatory_title="Sekretaris Daerah Kota Kediri",
            signatory_name="Dra. Sri Wahyuni, M.M.",
            signatory_nip="197512312000032002",
        )

    def recap(self, user, fmt, government, **query):
        self.login(user)
        return self.client.get(reverse("monev:recap", args=[fmt]), month_query(government=government.pk, **query))

    def test_the_province_executive_gets_the_childs_pdf_signed_by_the_child(self):
        response = self.recap(self.governor, "pdf", self.kediri)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        pages, images = pages_of(response.content, "child")
        self.assertTrue(images)
        text = flat_text("child")
        self.assertIn("PEMERINTAH KOTA KEDIRI", pages[0])
        self.assertIn("DINAS KOMUNIKASI DAN INFORMATIKA", pages[0])
        self.assertNotIn("JAWA TIMUR", text)
        self.assertIn("Kediri, ", pages[-1])
        self.assertIn("Sekretaris Daerah Kota Kediri", pages[-1])
        self.assertIn("Dra. Sri Wahyuni, M.M.", pages[-1])
        self.assertIn("NIP. 19751231 200003 2 002", pages[-1])
        self.assertIn("Dinas Perhubungan", text)  # the child's scorecard: figures
        self.assertNotIn("Seluruh provinsi", text)
        for report in (self.kediri_report, *self.blitar_reports, self.province_report):
            self.assertNotIn(report.tracking_number, text)

    def test_the_childs_xlsx_names_no_report(self):
        from openpyxl import load_workbook

        response = self.recap(self.province_coordinator, "xlsx", self.kediri)
        self.assertEqual(response.status_code, 200)
        book = load_workbook(io.BytesIO(response.content))
        self.assertEqual(book["Ringkasan"]["A1"].value, "Pemerintah Kota Kediri")
        self.assertNotIn("Daftar laporan", book.sheetnames)
        cells = {str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row if c is not None}
        self.assertNotIn(self.kediri_report.tracking_number, cells)
        self.assertIn("Dinas Perhubungan", cells)
        # Kota Kediri's own coordinator gets the list with the report in it.
        own = load_workbook(io.BytesIO(self.recap(self.kediri_coordinator, "xlsx", self.kediri).content))
        listed = [row[0] for row in own["Daftar laporan"].iter_rows(values_only=True)]
        self.assertIn(self.kediri_report.tracking_number, listed)

    def test_the_childs_recap_of_one_agency_leaves_out_its_units_part_as_its_board_does(self):
        self.forward_to_a_unit(kediri=True)
        from openpyxl import load_workbook

        query = {"agency": self.kediri_transport.pk}
        own = load_workbook(io.BytesIO(self.recap(self.kediri_coordinator, "xlsx", self.kediri, **query).content))
        self.assertIn("Unit kerja", own.sheetnames)
        response = self.recap(self.governor, "xlsx", self.kediri, **query)
        self.assertEqual(response.status_code, 200)
        book = load_workbook(io.BytesIO(response.content))
        self.assertEqual(book["Ringkasan"]["B1"].value, "Dinas Perhubungan")
        self.assertNotIn("Unit kerja", book.sheetnames)
        self.assertNotIn("Daftar laporan", book.sheetnames)

    def test_only_the_provinces_overseers_get_a_childs_recap(self):
        for user in (self.governor, self.province_coordinator):
            for fmt in ("xlsx", "pdf"):
                with self.subTest(user=user.username, fmt=fmt):
                    self.assertEqual(self.recap(user, fmt, self.kediri).status_code, 200)
        refused = [
            (self.kediri_coordinator, self.blitar),  # a sibling
            (self.kediri_coordinator, self.province),  # the province above
            (self.coordinator, self.kediri),  # Kota Blitar's
            (self.province_liaison, self.kediri),  # the province's agency staff
            (self.kediri_liaison, self.kediri),  # the child's agency staff: their agency's recap only
            (self.transport_liaison, self.kediri),
        ]
        for user, government in refused:
            for fmt in ("xlsx", "pdf"):
                with self.subTest(user=user.username, government=government.name, fmt=fmt):
                    self.assertEqual(self.recap(user, fmt, government).status_code, 404)


class ProvinceTransparencyTests(ProvinceCase):
    def test_the_provinces_public_page_shows_the_whole_and_a_row_per_child(self):
        page = self.client.get(f"/{self.province.slug}/transparansi/", {"preset": "month"})
        self.assertContains(page, 'id="seluruh-provinsi"')
        self.assertContains(page, "Kota Kediri")
        data = self.client.get(f"/{self.province.slug}/transparansi/data.json", {"preset": "month"}).json()
        self.assertEqual(data["figures"]["received"], None)  # the province's own: 1, suppressed
        self.assertEqual(data["province"]["whole"]["received"], 5)
        children = {c["government"]: c for c in data["province"]["children"]}
        self.assertEqual(children[self.blitar.name]["received"], 3)
        self.assertIsNone(children["Kota Kediri"]["received"])  # 1: below the public minimum
        self.assertIsNone(children["Kota Kediri"]["rating_mean"])
        csv = self.client.get(f"/{self.province.slug}/transparansi/data.csv", {"preset": "month"}).content.decode()
        self.assertIn(f"kabupaten_kota,government,{self.blitar.name},received,3", csv)

    def test_a_citys_public_page_has_no_province_section(self):
        page = self.client.get("/kota-kediri/transparansi/", {"preset": "month"})
        self.assertNotContains(page, 'id="seluruh-provinsi"')
        data = self.client.get("/kota-kediri/transparansi/data.json", {"preset": "month"}).json()
        self.assertIsNone(data["province"])
