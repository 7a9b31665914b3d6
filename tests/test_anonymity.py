"""Anonymous means anonymous, also inside the text: a reporter who asks to stay anonymous
and then writes their name, NIK, phone and email into the report is masked for everyone
but the coordinator who reveals them (an audited read) — on pages, in the API, exports,
search and staff notifications. The public searches masked words only. And an agency
whose disposition ended reads nothing that came after."""

from django.http import Http404
from django.test import override_settings
from django.urls import reverse

from notify.models import OutboxMessage
from reports import access, actions
from reports.models import Audience, IdentityRead
from tests import factory
from tests.api_base import ApiTestCase

NAME, NIK, PHONE, EMAIL = "Budi Santoso", "3572011203850002", "0812-3456-7890", "budi.santoso@example.com"
SECRETS = (NAME, "Santoso", NIK, "3456-7890", "81234567890", EMAIL)
WRITTEN = f"Saya {NAME}, NIK {NIK}, HP {PHONE}, email {EMAIL}. Lampu jalan di depan pasar Legi mati sejak seminggu."
MASKED = ("[nama]", "[NIK]", "[nomor telepon]", "[alamat email]")


def page(report):
    return reverse("workspace:report", args=[report.pk])


def csv_text(response):
    return response.content.decode("utf-8-sig")


@override_settings(ADUAN_SITE_URL="https://aduan.blitarkota.go.id")
class AnonymityCase(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for user in (cls.coordinator, cls.pw_liaison, cls.pw_operator, cls.pw_head):
            user.email = f"{user.username}@blitarkota.go.id"
            user.save(update_fields=["email"])

    def anonymous_report(self, **overrides):
        values = {
            "is_anonymous": True,
            "reporter_name": NAME,
            "reporter_phone": PHONE,
            "reporter_email": EMAIL,
            "title": f"Lampu mati, hubungi {PHONE}",
            "description": WRITTEN,
            "address": f"Depan rumah {NAME}, Jl. Mawar 5",
            **overrides,
        }
        # Disposed by the test's own action (the factory's builders queue no message), so
        # the staff messages of the disposition are there to read.
        report = factory.make_verified(self.coordinator, **values)
        return actions.dispose_report(report, actor=self.coordinator, lead_agency=self.public_works)

    def assertMasked(self, text, where):
        for secret in SECRETS:
            self.assertNotIn(secret, text, where)
        self.assertTrue(any(label in text for label in MASKED), where)

    def assertOriginal(self, text, where):
        for secret in (NAME, NIK, EMAIL):
            self.assertIn(secret, text, where)


class AnonymousTextTests(AnonymityCase):
    def test_agency_staff_and_executives_read_the_report_page_masked(self):
        report = self.anonymous_report()
        actions.add_reporter_message(report, actor=factory.reporter_of(report), message=f"Ini {NAME}, HP {PHONE}.")
        for user in (self.pw_liaison, self.pw_operator, self.pw_head, self.executive):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(page(report))
                self.assertEqual(response.status_code, 200)
                self.assertMasked(response.content.decode(), user.username)
        self.assertFalse(IdentityRead.objects.exists())

    def test_the_coordinator_reads_it_masked_until_revealing_and_the_reveal_is_recorded(self):
        report = self.anonymous_report()
        self.login(self.coordinator)
        self.assertMasked(self.client.get(page(report)).content.decode(), "before the reveal")
        revealed = self.client.post(reverse("workspace:reveal_identity", args=[report.pk]))
        self.assertOriginal(revealed.content.decode(), "after the reveal")
        self.assertEqual(IdentityRead.objects.filter(user=self.coordinator, report=report).count(), 1)

    def test_a_named_report_is_read_as_written_by_the_agency(self):
        report = self.anonymous_report(is_anonymous=False)
        self.login(self.pw_liaison)
        self.assertOriginal(self.client.get(page(report)).content.decode(), "named report")

    def test_the_lists_show_the_masked_title(self):
        report = self.anonymous_report()
        self.login(self.pw_liaison)
        text = self.client.get(reverse("workspace:dispositions")).content.decode()
        self.assertIn(report.tracking_number, text)
        self.assertNotIn("3456-7890", text)
        self.login(self.coordinator)
        text = self.client.get(reverse("workspace:reports")).content.decode()
        self.assertIn(report.tracking_number, text)
        self.assertNotIn("3456-7890", text)

    def test_the_staff_api_answers_the_masked_words_to_everyone(self):
        report = self.anonymous_report()
        actions.add_internal_note(report, actor=self.coordinator, message=f"Pelapor {NAME} minta dihubungi di {PHONE}")
        url = f"/api/v1/staff/reports/{report.pk}/"
        for user in (self.pw_liaison, self.coordinator):
            with self.subTest(user=user.username):
                detail = self.get(url, user)
                self.assertEqual(detail.status_code, 200)
                self.assertMasked(detail.content.decode(), f"detail for {user.username}")
                listed = self.get("/api/v1/staff/reports/", user)
                self.assertIn(report.tracking_number, listed.content.decode())
                self.assertMasked(listed.content.decode(), f"list for {user.username}")

    def test_the_agency_exports_masked_words_and_the_coordinator_the_audited_original(self):
        report = self.anonymous_report()
        query = {"format": "csv", "received_from": "2000-01-01", "received_to": "2100-01-01"}
        self.login(self.pw_liaison)
        agency_file = csv_text(self.client.get(reverse("lapor:export"), query))
        self.assertIn(report.tracking_number, agency_file)
        self.assertMasked(agency_file, "agency export")
        self.login(self.coordinator)
        coordinator_file = csv_text(self.client.get(reverse("lapor:export"), query))
        self.assertOriginal(coordinator_file, "coordinator export")
        self.assertEqual(IdentityRead.objects.filter(user=self.coordinator, report=report).count(), 1)

    def test_staff_search_does_not_find_an_anonymous_report_by_the_personal_data_in_it(self):
        report = self.anonymous_report()
        for user in (self.pw_liaison, self.coordinator):
            self.login(user)
            for url in (reverse("workspace:dispositions"), reverse("workspace:reports")):
                for secret in (NIK, EMAIL, "Santoso", "0812-3456-7890"):
                    with self.subTest(user=user.username, url=url, q=secret):
                        text = self.client.get(url, {"q": secret}).content.decode()
                        self.assertNotIn(report.tracking_number, text)
                found = self.client.get(url, {"q": "pasar Legi"}).content.decode()
                self.assertIn(report.tracking_number, found, (user.username, url))
            listed = self.get("/api/v1/staff/reports/", user, data={"q": NIK}).json()
            self.assertEqual(listed["results"], [])

    def test_a_named_report_is_found_by_its_own_words_by_staff(self):
        report = self.anonymous_report(is_anonymous=False)
        self.login(self.pw_liaison)
        self.assertIn(
            report.tracking_number, self.client.get(reverse("workspace:dispositions"), {"q": NIK}).content.decode()
        )

    def test_staff_notifications_carry_the_masked_excerpt(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.anonymous_report()
        staff = OutboxMessage.objects.filter(user__isnull=False)
        self.assertTrue(staff.exists())
        for message in staff:
            self.assertMasked(message.subject + message.body, message.recipient)

    def test_masked_words_follow_an_edit_of_the_text(self):
        report = factory.make_report(is_anonymous=True, reporter_name=NAME, description="Jalan rusak.")
        report.description = f"Jalan rusak, hubungi {PHONE}."
        report.save(update_fields=["description"])
        report.refresh_from_db()
        self.assertEqual(report.masked_description, "Jalan rusak, hubungi [nomor telepon].")


class PublicSearchTests(AnonymityCase):
    def test_the_public_search_does_not_confirm_who_filed_a_report(self):
        report = self.anonymous_report(is_anonymous=False)
        public_list = reverse("portal:public_list")
        self.assertIn(report.tracking_number, self.client.get(public_list, {"q": "pasar Legi"}).content.decode())
        for secret in (NIK, EMAIL, PHONE, NAME, "Santoso"):
            with self.subTest(q=secret):
                text = self.client.get(public_list, {"q": secret}).content.decode()
                self.assertNotIn(report.tracking_number, text)

    def test_the_public_page_and_open311_show_the_masked_words(self):
        report = self.anonymous_report(is_anonymous=False)
        detail = self.client.get(reverse("portal:public_detail", args=[report.tracking_number]))
        self.assertMasked(detail.content.decode(), "public page")
        requests = self.client.get(f"/open311/v2/requests/{report.tracking_number}.json")
        self.assertEqual(requests.status_code, 200)
        self.assertMasked(requests.content.decode(), "open311")


class EndedDispositionTests(AnonymityCase):
    def returned(self):
        report = self.anonymous_report(is_anonymous=False)
        actions.post_follow_up(report.dispositions.get(), actor=self.pw_liaison, message="Kami cek ke lokasi.")
        actions.return_disposition(report.dispositions.get(), actor=self.pw_liaison, reason="Wewenang Dishub.")
        report = actions.dispose_report(report, actor=self.coordinator, lead_agency=self.transport)
        actions.post_follow_up(
            report.dispositions.get(agency=self.transport),
            actor=self.transport_liaison,
            message="Catatan Dishub: tiang 17 diganti.",
            audience=Audience.STAFF,
        )
        return report

    def test_an_agency_whose_disposition_ended_reads_only_what_it_wrote(self):
        report = self.returned()
        self.login(self.pw_liaison)
        response = self.client.get(page(report))
        self.assertEqual(response.status_code, 200)
        text = response.content.decode()
        self.assertIn("Kami cek ke lokasi.", text)
        self.assertIn("Wewenang Dishub.", text)
        self.assertNotIn("Catatan Dishub", text)
        for secret in SECRETS:
            self.assertNotIn(secret, text)
        self.assertFalse(IdentityRead.objects.filter(user=self.pw_liaison).exists())

    def test_the_api_and_the_attachments_close_for_it_too(self):
        report = self.returned()
        self.assertError(self.get(f"/api/v1/staff/reports/{report.pk}/", self.pw_liaison), 404)
        listed = self.get("/api/v1/staff/reports/", self.pw_liaison).json()
        self.assertNotIn(report.tracking_number, [row["tracking_number"] for row in listed["results"]])
        with self.assertRaises(Http404):
            access.get_report_for(self.pw_liaison, report.pk)
        # Its own disposition stays in its list, as history ("Semua": the list opens on open work).
        self.login(self.pw_liaison)
        everything = self.client.get(reverse("workspace:dispositions"), {"state": "all"}).content.decode()
        self.assertIn(report.tracking_number, everything)

    def test_the_agency_that_took_over_reads_the_whole_report(self):
        report = self.returned()
        self.login(self.transport_liaison)
        text = self.client.get(page(report)).content.decode()
        self.assertIn("Catatan Dishub", text)
        self.assertIn(NAME, text)

    def test_someone_with_no_disposition_at_all_gets_a_404(self):
        report = self.returned()
        other = factory.make_agency("Dinas Kesehatan", short_name="Dinkes")
        nurse = factory.make_staff(factory.Role.LIAISON, other, "penghubung_dinkes")
        self.login(nurse)
        self.assertEqual(self.client.get(page(report)).status_code, 404)
