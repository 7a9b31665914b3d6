"""Input an attacker would send to every form and filter: dates at the ends of the calendar
(year 1, year 9999) overflow Python's datetime once shifted by a time zone or a day. Every
entry point answers with a clear error in Indonesian, never a 500, and stores nothing."""

from api.models import StaffToken
from reports.models import Report
from tests.base import AduanTestCase

FAR_FUTURE = "9999-12-31"
FAR_PAST = "0001-01-01"
MESSAGE = "Tanggal harus antara tahun 1900 dan 2999."


class DatesOutOfRangeTests(AduanTestCase):
    def setUp(self):
        self.client.raise_request_exception = False  # a 500 is what must not happen; see it as one

    def assertRefusedOnPage(self, url, params, status=200):
        response = self.client.get(url, params)
        self.assertEqual(response.status_code, status, url)
        self.assertContains(response, MESSAGE, status_code=status)

    def test_workspace_report_list_and_inbox_refuse_the_filter_and_still_answer(self):
        self.login(self.coordinator)
        for url in ("/kerja/laporan/", "/kerja/kotak-masuk/"):
            for params in ({"received_from": FAR_PAST}, {"received_to": FAR_FUTURE}):
                with self.subTest(url=url, params=params):
                    self.assertRefusedOnPage(url, params)

    def test_channel_recap_refuses_the_period(self):
        self.login(self.coordinator)
        self.assertRefusedOnPage("/kerja/rekap/kanal/", {"received_from": FAR_PAST})
        self.assertRefusedOnPage("/kerja/rekap/kanal/", {"received_to": FAR_FUTURE})

    def test_monev_dashboard_drilldown_and_recap_refuse_the_period(self):
        self.login(self.coordinator)
        for day in (FAR_PAST, FAR_FUTURE):
            with self.subTest(day):
                self.assertRefusedOnPage("/kerja/monev/", {"start": day, "end": day})
                response = self.client.get("/kerja/monev/laporan/", {"metric": "received", "start": day, "end": day})
                self.assertEqual(response.status_code, 400)
                response = self.client.get("/kerja/monev/rekap.xlsx", {"start": day, "end": day})
                self.assertEqual(response.status_code, 400)

    def test_transparency_page_and_open_data_fall_back_to_this_month(self):
        for day in (FAR_PAST, FAR_FUTURE):
            with self.subTest(day):
                self.assertRefusedOnPage("/transparansi/", {"start": day, "end": day})
                response = self.client.get("/transparansi/data.json", {"start": day, "end": day})
                self.assertEqual(response.status_code, 200)

    def test_lapor_export_refuses_the_period(self):
        self.login(self.coordinator)
        self.assertRefusedOnPage("/kerja/lapor/ekspor/", {"format": "csv", "received_from": FAR_PAST})

    def test_staff_api_report_list_answers_400_in_its_error_format(self):
        _token, key = StaffToken.objects.issue(self.coordinator)
        for params in ({"received_from": FAR_PAST}, {"received_to": FAR_FUTURE}):
            with self.subTest(params):
                response = self.client.get("/api/v1/staff/reports/", params, headers={"Authorization": f"Token {key}"})
                self.assertEqual(response.status_code, 400)
                errors = response.json()["errors"]
                self.assertEqual([(e["field"], e["message"]) for e in errors][0][1], MESSAGE)

    def test_the_refusal_is_in_english_when_the_caller_asks_for_it(self):
        _token, key = StaffToken.objects.issue(self.coordinator)
        response = self.client.get(
            "/api/v1/staff/reports/",
            {"received_from": FAR_PAST},
            headers={"Authorization": f"Token {key}", "Accept-Language": "en"},
        )
        self.assertEqual(response.json()["errors"][0]["message"], "The date must be between the years 1900 and 2999.")

    def test_manual_entry_received_in_year_one_is_a_form_error_and_stores_nothing(self):
        self.login(self.coordinator)
        response = self.client.post(
            "/kerja/laporan/baru/",
            {
                "channel": "call_center",
                "received_at": f"{FAR_PAST}T00:00",
                "kind": "complaint",
                "description": "Lampu jalan mati.",
                "reply_channel": "none",
            },
        )
        self.assertContains(response, MESSAGE, status_code=response.status_code)
        self.assertNotEqual(response.status_code, 500)
        self.assertFalse(Report.objects.exists())
