"""Anyone may browse verified, non-confidential reports; nobody sees who reported them."""

from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.uploads import clean_bytes
from reports import actions
from reports.models import ArchiveReason, Attachment, Audience, Status
from tests import factory
from tests.base import AduanTestCase

LIST = reverse("portal:public_list")
IDENTITY = ["Siti Aminah", "081234567890", "siti@example.org"]


def detail(report):
    return reverse("portal:public_detail", args=[report.tracking_number])


class PublicListTests(AduanTestCase):
    def verified(self, **overrides):
        overrides.setdefault("category", self.category)
        overrides.setdefault("region", self.kelurahan)
        return factory.make_verified(self.coordinator, **overrides)

    def test_the_list_shows_only_verified_non_confidential_unarchived_reports(self):
        shown = self.verified(title="Lampu mati terverifikasi")
        received = self.make_report(title="Baru diterima")
        on_hold = self.make_report(title="Sedang ditunda")
        actions.hold_report(on_hold, actor=self.coordinator, question="Di mana?")
        archived = self.make_report(title="Spam diarsipkan")
        actions.archive_report(archived, actor=self.coordinator, reason=ArchiveReason.SPAM)
        confidential = self.verified(title="Rahasia sekali", is_confidential=True)
        response = self.client.get(LIST)
        self.assertContains(response, shown.tracking_number)
        self.assertContains(response, "Lampu mati terverifikasi")
        for hidden in (received, on_hold, archived, confidential):
            self.assertNotContains(response, hidden.tracking_number)
            self.assertNotContains(response, hidden.title)

    def test_a_row_shows_number_title_category_kelurahan_and_status(self):
        report = self.verified(title="Parkir liar depan pasar")
        response = self.client.get(LIST)
        self.assertContains(response, "Parkir liar depan pasar")
        self.assertContains(response, "Lampu penerangan jalan umum")
        self.assertContains(response, "Bendogerit")
        self.assertContains(response, "badge-verified")
        self.assertContains(response, detail(report))

    def test_no_reporter_identity_is_shown_for_anonymous_or_named_reports(self):
        self.verified(title="Laporan bernama")
        self.verified(title="Laporan anonim", is_anonymous=True)
        self.verified(description="Tolong hubungi Siti Aminah di 081234567890 atau siti@example.org")
        response = self.client.get(LIST)
        self.assertContains(response, "Laporan anonim")
        for text in IDENTITY:
            self.assertNotContains(response, text)

    def test_filters_narrow_the_list(self):
        other_kecamatan = factory.make_region("Kepanjenkidul")
        other_kelurahan = factory.make_region("Sentul", parent=other_kecamatan)
        other_parent_category = factory.make_category("Jalan berlubang")
        here = self.verified(title="Lampu di Bendogerit")
        there = self.verified(title="Jalan di Sentul", region=other_kelurahan, category=other_parent_category)
        disposed = actions.dispose_report(
            self.verified(title="Sudah diteruskan"), actor=self.coordinator, lead_agency=self.transport
        )

        def rows(**params):
            body = self.client.get(LIST, params).content.decode()
            return {r.title for r in (here, there, disposed) if r.tracking_number in body}

        self.assertEqual(rows(kecamatan=other_kecamatan.pk), {"Jalan di Sentul"})
        self.assertEqual(rows(category=other_parent_category.parent_id), {"Jalan di Sentul"})
        self.assertEqual(rows(status=Status.DISPOSED), {"Sudah diteruskan"})
        self.assertEqual(rows(q="bendogerit"), {"Lampu di Bendogerit"})
        self.assertEqual(rows(q=there.tracking_number), {"Jalan di Sentul"})
        self.assertEqual(len(rows()), 3)

    def test_the_list_is_paginated_by_twenty(self):
        for i in range(21):
            self.verified(title=f"Laporan nomor {i:02d}")
        first = self.client.get(LIST)
        self.assertContains(first, "Halaman 1 dari 2")
        self.assertContains(first, "report-row", count=20)
        self.assertContains(first, "Laporan nomor 20")  # newest first
        second = self.client.get(LIST, {"page": 2})
        self.assertContains(second, "report-row", count=1)
        self.assertContains(second, "Laporan nomor 00")

    def test_query_count_does_not_grow_with_reports(self):
        for _ in range(2):
            self.verified()
        with CaptureQueriesContext(connection) as few:
            self.assertEqual(self.client.get(LIST).status_code, 200)
        for _ in range(6):
            self.verified()
        with self.assertNumQueries(len(few)):
            response = self.client.get(LIST)
        self.assertContains(response, "report-row", count=8)
        self.assertLessEqual(len(few), 7)  # one of them: the portal's government


class PublicDetailTests(AduanTestCase):
    def test_detail_shows_content_and_the_agencies_public_replies_only(self):
        report = factory.make_disposed(
            self.coordinator,
            self.public_works,
            category=self.category,
            region=self.kelurahan,
            title="Lampu mati depan pasar",
        )
        disposition = report.dispositions.get()
        actions.post_follow_up(
            disposition, actor=self.pw_liaison, message="Lampu diganti hari Kamis.", audience=Audience.PUBLIC
        )
        actions.post_follow_up(
            disposition, actor=self.pw_liaison, message="Catatan dalam: stok habis", audience=Audience.STAFF
        )
        response = self.client.get(detail(report))
        self.assertContains(response, "Lampu mati depan pasar")
        self.assertContains(response, "Lampu penerangan jalan di depan pasar mati sejak seminggu.")
        self.assertContains(response, "Lampu diganti hari Kamis.")
        self.assertContains(response, "DPUPR")
        self.assertNotContains(response, "stok habis")
        self.assertNotContains(response, self.pw_liaison.username)

    def test_detail_never_shows_reporter_identity_anonymous_or_named(self):
        for anonymous in (False, True):
            with self.subTest(anonymous=anonymous):
                report = factory.make_resolved(
                    self.coordinator,
                    self.public_works,
                    self.pw_liaison,
                    is_anonymous=anonymous,
                    category=self.category,
                    region=self.kelurahan,
                    description="Saya Siti Aminah, HP 0812-3456-7890, email siti@example.org. Lampu mati.",
                )
                actions.rate_report(
                    report,
                    actor=factory.reporter_of(report),
                    rating=2,
                    comment="Siti Aminah kecewa, hubungi 081234567890",
                )
                response = self.client.get(detail(report))
                self.assertContains(response, "Lampu mati.")
                self.assertContains(response, "Nilai 2 dari 5")
                for text in [*IDENTITY, "0812-3456-7890"]:
                    self.assertNotContains(response, text)

    def test_confidential_report_is_not_found_publicly(self):
        report = factory.make_verified(self.coordinator, is_confidential=True)
        self.assertEqual(self.client.get(detail(report)).status_code, 404)

    def test_unverified_or_archived_report_is_not_found_publicly(self):
        received = self.make_report()
        archived = self.make_report()
        actions.archive_report(archived, actor=self.coordinator, reason=ArchiveReason.UNCLEAR)
        for report in (received, archived):
            self.assertEqual(self.client.get(detail(report)).status_code, 404)

    def test_public_photos_are_served_but_internal_files_and_reporters_documents_are_not(self):
        report = factory.make_disposed(
            self.coordinator,
            self.public_works,
            category=self.category,
            attachments=[
                clean_bytes("lampu.jpg", factory.jpeg_bytes()),
                clean_bytes("ktp.pdf", factory.PDF_BYTES),
            ],
        )
        disposition = report.dispositions.get()
        actions.post_follow_up(
            disposition,
            actor=self.pw_liaison,
            message="Dalam",
            audience=Audience.STAFF,
            attachments=[clean_bytes("internal.jpg", factory.jpeg_bytes())],
        )
        actions.post_follow_up(
            disposition,
            actor=self.pw_liaison,
            message="Berita acara",
            audience=Audience.PUBLIC,
            attachments=[clean_bytes("berita-acara.pdf", factory.PDF_BYTES)],
        )

        def fetch(name):
            attachment = Attachment.objects.get(original_name=name)
            return self.client.get(reverse("portal:public_attachment", args=[report.tracking_number, attachment.pk]))

        self.assertEqual(fetch("lampu.jpg").status_code, 200)
        self.assertEqual(fetch("berita-acara.pdf")["Content-Type"], "application/pdf")
        self.assertEqual(fetch("internal.jpg").status_code, 404)
        self.assertEqual(fetch("ktp.pdf").status_code, 404)
        page = self.client.get(detail(report))
        self.assertContains(page, "lampu.jpg")
        self.assertContains(page, "berita-acara.pdf")
        self.assertNotContains(page, "internal.jpg")
        self.assertNotContains(page, "ktp.pdf")

    def test_public_files_are_downloads_with_nosniff_and_only_our_own_jpegs_show_inline(self):
        report = factory.make_disposed(self.coordinator, self.public_works, category=self.category)
        actions.post_follow_up(
            report.dispositions.get(),
            actor=self.pw_liaison,
            message="Berita acara dan foto",
            audience=Audience.PUBLIC,
            attachments=[
                clean_bytes("berita-acara.pdf", factory.PDF_BYTES),
                clean_bytes("foto.jpg", factory.jpeg_bytes()),
            ],
        )
        # A row from before files were checked, or written by hand: never served as what it claims.
        html = Attachment.objects.create(
            report=report,
            event=report.events.get(action="follow_up"),
            file=ContentFile(b"<script>alert(1)</script>", name="x.html"),
            original_name="x.html",
            content_type="text/html",
            size=25,
            is_public=True,
        )

        def fetch(attachment):
            return self.client.get(reverse("portal:public_attachment", args=[report.tracking_number, attachment.pk]))

        pdf = fetch(Attachment.objects.get(original_name="berita-acara.pdf"))
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        self.assertTrue(pdf["Content-Disposition"].startswith("attachment;"))
        self.assertEqual(pdf["X-Content-Type-Options"], "nosniff")
        photo = fetch(Attachment.objects.get(original_name="foto.jpg"))
        self.assertEqual(photo["Content-Type"], "image/jpeg")
        self.assertTrue(photo["Content-Disposition"].startswith("inline;"))
        self.assertEqual(photo["X-Content-Type-Options"], "nosniff")
        page = fetch(html)
        self.assertEqual(page["Content-Type"], "application/octet-stream")
        self.assertTrue(page["Content-Disposition"].startswith("attachment;"))

    def test_attachments_of_a_confidential_report_are_not_served(self):
        report = factory.make_verified(
            self.coordinator, is_confidential=True, attachments=[clean_bytes("lampu.jpg", factory.jpeg_bytes())]
        )
        attachment = report.attachments.get()
        url = reverse("portal:public_attachment", args=[report.tracking_number, attachment.pk])
        self.assertEqual(self.client.get(url).status_code, 404)


class HomeTests(AduanTestCase):
    def test_home_offers_the_three_ways_in(self):
        response = self.client.get(reverse("portal:home"))
        for url in ("portal:submit", "portal:track", "portal:public_list"):
            self.assertContains(response, f'href="{reverse(url)}"')
        self.assertContains(response, "Buat laporan")
