"""Monev pages on the fixture city: the dashboard and its click-through lists, agency scope,
the XLSX and PDF recaps, the monthly email, and the public page and open data."""

import datetime as dt
import io
import json
from collections import Counter
from urllib.parse import parse_qs, urlparse

import time_machine
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from monev import dashboard, mailing, recap, sums
from tests import monev_city
from tests.base import AduanTestCase
from tests.pdfpages import pages_of
from tests.test_monev_figures import APRIL

APRIL_QUERY = {"start": "2026-04-01", "end": "2026-04-30"}


class MonevPagesTest(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.r1, cls.r2, cls.r3, cls.r4, cls.r5 = monev_city.build(cls)

    def setUp(self):
        cache.clear()

    def _numbers(self, response):
        return {str(label): (value, url) for label, value, url in response.context["headline"]}

    def test_coordinator_dashboard_numbers_click_through_to_the_same_reports(self):
        self.login(self.coordinator)
        response = self.client.get(reverse("monev:dashboard"), APRIL_QUERY)
        self.assertEqual(response.status_code, 200)
        numbers = self._numbers(response)
        self.assertEqual(numbers["Diterima"][0], 4)
        self.assertEqual(numbers["Selesai"][0], 3)
        for label, (value, url) in numbers.items():
            listed = self.client.get(url)
            self.assertEqual(listed.status_code, 200, label)
            self.assertEqual(listed.context["page"].paginator.count, value, label)
        resolved = self.client.get(numbers["Selesai"][1])
        self.assertEqual(
            {r.tracking_number for r in resolved.context["page"].object_list},
            {self.r1.tracking_number, self.r2.tracking_number, self.r5.tracking_number},
        )
        # Every breakdown count opens a list of exactly that many reports.
        for block in response.context["breakdowns"]:
            for row in block["rows"]:
                for value, url in row["counts"]:
                    if value:
                        count = self.client.get(url).context["page"].paginator.count
                        self.assertEqual(count, value, (block["dimension"], row["label"]))
        self.assertContains(response, "<svg")
        ranks = [(str(row.agency), row.rank) for row in response.context["scorecard"]]
        self.assertEqual(ranks[0][0], "DPUPR")
        # Each scorecard cell carries its own colour against the targets, and some have one.
        colours = Counter(ind.rag or "none" for row in response.context["scorecard"] for ind in row.indicators)
        self.assertGreater(sum(n for rag, n in colours.items() if rag != "none"), 0, colours)
        html = response.content.decode()
        for rag, n in colours.items():
            self.assertEqual(html.count(f'class="rag rag-{rag}"'), n, rag)

    def test_scorecard_colours_follow_the_configured_targets(self):
        with override_settings(ADUAN_MONEV_TARGETS={"on_time_resolution": (100, 50)}):
            row = dashboard.score_row(self.public_works, sums.compute(APRIL.with_(agency=self.public_works.pk)))
            by_key = {i.key: i for i in row.indicators}
            self.assertEqual(by_key["on_time_resolution"].value, 50.0)  # R1 on time, R2 late
            self.assertEqual(by_key["on_time_resolution"].rag, "amber")
            self.assertEqual(by_key["on_time_follow_up"].rag, "")  # no target set
        with override_settings(ADUAN_MONEV_TARGETS={"on_time_resolution": (60, 55)}):
            self.assertEqual(dashboard.rating("on_time_resolution", 50.0), "red")

    def test_agency_sees_its_own_scorecard_beside_the_city_and_only_its_reports(self):
        self.login(self.transport_liaison)
        response = self.client.get(reverse("monev:dashboard"), {**APRIL_QUERY, "agency": self.public_works.pk})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["own_agency"], self.transport)  # cannot pick another agency
        self.assertEqual(response.context["own_row"].figures.returned, 1)
        self.assertEqual(response.context["city_row"].figures.received, 4)
        self.assertEqual(response.context["scorecard"], [])
        url = reverse("monev:reports") + "?" + "&".join(f"{k}={v}" for k, v in APRIL_QUERY.items())
        listed = self.client.get(url + "&metric=received")
        self.assertEqual([r.tracking_number for r in listed.context["page"].object_list], [self.r3.tracking_number])

    def test_drilldown_query_count_does_not_grow_with_rows(self):
        self.login(self.coordinator)
        url = reverse("monev:reports")
        self.client.get(url, {**APRIL_QUERY, "metric": "archived"})  # warm the session and calendar
        with self.assertNumQueries(5):
            one = self.client.get(url, {**APRIL_QUERY, "metric": "archived"})
        with self.assertNumQueries(5):
            four = self.client.get(url, {**APRIL_QUERY, "metric": "received"})
        self.assertEqual((one.context["page"].paginator.count, four.context["page"].paginator.count), (1, 4))

    def test_staff_without_appointment_and_anonymous_are_refused(self):
        self.assertEqual(self.client.get(reverse("monev:dashboard")).status_code, 302)
        self.login(self.outsider)
        self.assertEqual(self.client.get(reverse("monev:dashboard")).status_code, 403)

    def test_bad_filter_is_a_clear_error(self):
        self.login(self.coordinator)
        response = self.client.get(reverse("monev:dashboard"), {"start": "2026-04-30", "end": "2026-04-01"})
        self.assertContains(response, "Tanggal akhir tidak boleh sebelum tanggal awal.")
        response = self.client.get(reverse("monev:dashboard"), {"start": "kemarin"})
        self.assertContains(response, "Tanggal tidak valid")
        response = self.client.get(reverse("monev:reports"), {**APRIL_QUERY, "metric": "nope"})
        self.assertEqual(response.status_code, 400)

    def test_xlsx_recap_holds_the_dashboards_figures(self):
        from openpyxl import load_workbook

        self.login(self.coordinator)
        page = self.client.get(reverse("monev:dashboard"), APRIL_QUERY)
        response = self.client.get(page.context["downloads"]["xlsx"])
        self.assertEqual(response.status_code, 200)
        book = load_workbook(io.BytesIO(response.content))
        self.assertIn("Kanal", book.sheetnames)
        self.assertIn("Daftar laporan", book.sheetnames)
        summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(min_row=5, values_only=True)}
        for label, value, _url in page.context["headline"]:
            self.assertEqual(summary[str(label)], value, label)
        self.assertEqual(summary["Median hari kerja ke tindak lanjut pertama"], 1.5)
        self.assertEqual(summary["Tepat waktu: Verifikasi (jumlah/total)"], "2/3")
        channels = {row[0]: row[1] for row in book["Kanal"].iter_rows(min_row=2, values_only=True)}
        self.assertEqual(channels, {"Situs web": 2, "WhatsApp": 2})
        listed = [row[0] for row in book["Daftar laporan"].iter_rows(min_row=4, values_only=True)]
        self.assertEqual(sorted(listed), sorted(r.tracking_number for r in (self.r2, self.r3, self.r4, self.r5)))
        text = " ".join(str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row if c)
        self.assertNotIn(monev_city.SECRET_NAME, text)
        self.assertNotIn(monev_city.SECRET_PHONE, text)

    def test_xlsx_list_sheet_has_a_title_row_and_the_agencies_each_report_is_disposed_to(self):
        from openpyxl import load_workbook

        self.login(self.coordinator)
        response = self.client.get(reverse("monev:recap", args=["xlsx"]), APRIL_QUERY)
        sheet = load_workbook(io.BytesIO(response.content))["Daftar laporan"]
        self.assertEqual(sheet["A1"].value, "Daftar laporan diterima, periode 1 April 2026 – 30 April 2026")
        self.assertTrue(sheet["A1"].font.bold)
        header = [c.value for c in sheet[3]]
        self.assertEqual(header[6], "Perangkat daerah")
        self.assertEqual(sheet.freeze_panes, "B4")
        agencies = {row[0]: row[6] for row in sheet.iter_rows(min_row=4, values_only=True)}
        self.assertEqual(
            agencies,
            {
                self.r2.tracking_number: "DPUPR",
                self.r3.tracking_number: "DPUPR",  # returned by Dishub, disposed again
                self.r4.tracking_number: None,  # archived as spam
                self.r5.tracking_number: "DPUPR",
            },
        )
        # An agency's own recap says whose it is.
        self.login(self.transport_liaison)
        response = self.client.get(reverse("monev:recap", args=["xlsx"]), APRIL_QUERY)
        sheet = load_workbook(io.BytesIO(response.content))["Daftar laporan"]
        self.assertTrue(sheet["A1"].value.endswith("(Dishub)"), sheet["A1"].value)

    def test_pdf_recap_opens_and_names_the_city_period_and_figures(self):
        from pypdf import PdfReader

        self.login(self.coordinator)
        response = self.client.get(reverse("monev:recap", args=["pdf"]), APRIL_QUERY)
        self.assertEqual(response["Content-Type"], "application/pdf")
        reader = PdfReader(io.BytesIO(response.content))
        text = " ".join(page.extract_text() for page in reader.pages)
        self.assertIn("PEMERINTAH KOTA BLITAR", text)
        self.assertIn("1 April 2026", text)
        self.assertIn("Median hari kerja ke tindak lanjut pertama 1,5", text)  # a decimal comma
        self.assertIn("66,7 % (2 dari 3)", text)  # verification on time
        self.assertIn("DPUPR", text)
        pages_of(response.content, "april")  # the scorecard's colours, to look at

    def test_monthly_recap_email_goes_to_executives_once(self):
        self.executive.email = "walikota@example.org"
        self.executive.save()
        import time_machine

        with time_machine.travel(monev_city.at((5, 1), hour=6), tick=False):
            self.assertEqual(mailing.send_monthly_recap(), 1)
            self.assertEqual(mailing.send_monthly_recap(), 0)  # deduplicated
        with time_machine.travel(monev_city.at((5, 2), hour=6), tick=False):
            self.assertEqual(mailing.send_monthly_recap(), 0)  # not the first of the month
        [message] = self.assertQueued(recipient="walikota@example.org")
        self.assertIn("April 2026", message.subject)
        self.assertIn("- Diterima: 4", message.body)
        self.assertIn("/kerja/monev/rekap.xlsx?start=2026-04-01&end=2026-04-30", message.body)

    def test_recap_numbers_equal_the_dashboard(self):
        board = dashboard.build(APRIL)
        rows = dict(recap.summary_rows(board))
        fig = sums.cached_compute(APRIL)
        self.assertEqual(rows["Diterima"], fig.received)
        self.assertEqual(rows["Tunggakan di akhir periode"], fig.backlog_total)

    def test_the_one_cache_helper_keeps_even_an_empty_answer_until_refreshed(self):
        calls = []

        def work(flt):
            calls.append(flt)
            return {}  # a scorecard with no agency is an answer too, not a miss

        for refresh in (False, False, True, False):
            self.assertEqual(sums._cached("monev:test", APRIL, work, refresh=refresh), {})
        self.assertEqual(calls, [APRIL, APRIL])
        self.assertEqual(sums.cached_compute_by_agency(APRIL), sums.compute_by_agency(APRIL))

    def test_warm_up_rebuilds_the_boards_before_their_cache_runs_out(self):
        from monev import tasks

        may = monev_city.at((5, 10))
        with time_machine.travel(may, tick=False):
            self.assertEqual(
                tasks.warm_dashboard.call(),
                ["dashboard, this month", "dashboard, last month", "public page, default period"],
            )
            april = dashboard.build(APRIL)
            self.assertEqual(april.figures.received, 4)  # served from the cache the warm-up filled
            self.assertEqual([row.agency for row in april.scorecard], [self.public_works, self.transport])
        # Four minutes on: this month's board (cached 300 s) is rebuilt, last month's (3600 s)
        # kept, and so is the public page's: May has no report yet, so it shows April.
        with time_machine.travel(may + dt.timedelta(minutes=4), tick=False):
            self.assertEqual(dashboard.warm(), ["dashboard, this month"])
        with time_machine.travel(may + dt.timedelta(minutes=55), tick=False):
            self.assertIn("dashboard, last month", dashboard.warm())


class TransparencyTest(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.reports = monev_city.build(cls)

    def setUp(self):
        cache.clear()

    def _get_all(self):
        page = self.client.get(reverse("transparency:page"), APRIL_QUERY)
        csv = self.client.get(reverse("transparency:open_data", args=["csv"]), APRIL_QUERY)
        data = self.client.get(reverse("transparency:open_data", args=["json"]), APRIL_QUERY)
        return page, csv, data

    def test_public_page_and_open_data_hold_no_personal_data(self):
        page, csv, data = self._get_all()
        for response in (page, csv, data):
            self.assertEqual(response.status_code, 200)
            body = response.content.decode()
            for secret in (
                monev_city.SECRET_NAME,
                monev_city.SECRET_PHONE,
                monev_city.SECRET_NIK,
                "pungutan liar",
                "Siti Aminah",
                "081234567890",
                "siti@example.org",
            ):
                self.assertNotIn(secret, body)
            for report in self.reports:
                self.assertNotIn(report.tracking_number, body)

    def test_cells_under_three_reports_are_suppressed(self):
        _page, csv, data = self._get_all()
        data = json.loads(data.content)
        self.assertEqual(data["figures"]["received"], 4)
        self.assertEqual(data["figures"]["resolved"], 3)
        self.assertIsNone(data["figures"]["archived"])  # 1 report
        self.assertIsNone(data["figures"]["closed"])
        self.assertEqual(data["figures"]["on_time_percent"]["verification"], 66.7)  # 3 reports
        self.assertIsNone(data["figures"]["on_time_percent"]["resolution"])  # rests on 2
        self.assertIsNone(data["figures"]["rating_mean"])  # 2 ratings
        channels = {row["label"]: row["received"] for row in data["breakdowns"]["channel"]}
        self.assertEqual(channels, {"Situs web": None, "WhatsApp": None})
        kelurahan = {row["label"]: row["received"] for row in data["breakdowns"]["kelurahan"]}
        self.assertEqual(kelurahan, {"Bendogerit": 3, "Klampok": None})
        lines = csv.content.decode().splitlines()
        self.assertEqual(lines[0], "periode_awal,periode_akhir,bagian,kelompok,label,ukuran,nilai")
        self.assertIn("2026-04-01,2026-04-30,kota,,,received,4", lines)
        self.assertIn("2026-04-01,2026-04-30,rincian,channel,WhatsApp,received,", lines)

    def test_public_page_shows_suppressed_marker_and_download_links(self):
        page, _csv, _data = self._get_all()
        self.assertContains(page, "&lt;3")
        self.assertContains(page, reverse("transparency:open_data", args=["csv"]))
        query = parse_qs(urlparse(page.context["query"] and "?" + page.context["query"]).query)
        self.assertEqual(query["start"], ["2026-04-01"])
