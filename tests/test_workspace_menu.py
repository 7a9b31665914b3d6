"""The staff menu: four groups, each entry for the people its page lets in."""

import re

from django.urls import reverse

from tests.base import AduanTestCase


class StaffMenuTests(AduanTestCase):
    def menu(self, url=None):
        """(group, [entry, ...]) as the page shows them."""
        response = self.client.get(url or reverse("workspace:reports"))
        self.assertEqual(response.status_code, 200)
        return [
            (name, re.findall(r"<a [^>]*>([^<]+)</a>", body))
            for name, body in re.findall(
                r'<div class="ws-group" role="group" aria-label="([^"]+)">(.*?)</div>', response.content.decode(), re.S
            )
        ]

    def current(self, url):
        page = self.client.get(url).content.decode()
        return re.findall(r'<a href="[^"]+" aria-current="page">([^<]+)</a>', page)

    def test_a_coordinator_sees_the_four_groups(self):
        self.login(self.coordinator)

        self.assertEqual(
            self.menu(),
            [
                (
                    "Laporan",
                    ["Kotak masuk", "Disposisi", "Semua laporan", "Input laporan"],
                ),
                ("Staf", ["Beban kerja", "Cakupan SK"]),
                ("Monev", ["Monev", "Rekap kanal"]),
                ("Sistem", ["SP4N-LAPOR!", "Pengiriman", "Akun"]),
            ],
        )

    def test_a_liaison_sees_only_the_pages_open_to_an_agency(self):
        self.login(self.pw_liaison)

        self.assertEqual(
            self.menu(),
            [
                ("Laporan", ["Disposisi", "Semua laporan"]),
                ("Staf", ["Beban kerja"]),
                ("Monev", ["Monev", "Rekap kanal"]),
                ("Sistem", ["SP4N-LAPOR!", "Akun"]),
            ],
        )
        self.assertNotContains(self.client.get(reverse("workspace:reports")), reverse("workspace:inbox"))

    def test_the_lapor_entry_leads_a_coordinator_to_the_import_and_a_liaison_to_the_export(self):
        self.login(self.coordinator)
        self.assertContains(self.client.get(reverse("workspace:reports")), f'href="{reverse("lapor:import")}"')
        self.login(self.pw_liaison)
        response = self.client.get(reverse("workspace:reports"))
        self.assertContains(response, f'href="{reverse("lapor:export")}"')
        self.assertNotContains(response, f'href="{reverse("lapor:import")}"')

    def test_the_page_open_is_marked_current_once(self):
        self.login(self.coordinator)

        self.assertEqual(self.current(reverse("workspace:inbox")), ["Kotak masuk"])
        self.assertContains(self.client.get(reverse("workspace:inbox")), 'aria-current="page"', count=1)
        self.assertEqual(self.current(reverse("monev:dashboard")), ["Monev"])
        self.assertEqual(self.current(reverse("accounts:security")), ["Akun"])

    def test_the_menu_is_in_english_too(self):
        self.login(self.coordinator)
        self.client.cookies["django_language"] = "en"

        names = [name for name, _ in self.menu()]

        self.assertEqual(names, ["Reports", "Staff", "Monitoring", "System"])

    def test_the_login_page_has_no_menu(self):
        response = self.client.get(reverse("workspace:login"))

        self.assertNotContains(response, 'id="ws-menu"')
        self.assertNotContains(response, "data-menu-toggle")
