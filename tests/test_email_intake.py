"""The email channel against real servers (tests/email_base.py: a private dovecot and
aiosmtpd on 127.0.0.1): what a mail becomes — a new report with its attachments and the
answer by SMTP, a reply added to its report, an automatic mail ignored — and the quotes
and signatures trimmed. Handling each mail once and never losing one: test_email_polling.py."""

import base64
from email.policy import SMTP

from django.core.files.storage import default_storage
from django.test import SimpleTestCase, override_settings
from django.urls import reverse

from intake import email as channel
from intake.models import InboundMessage
from reports import actions
from reports.models import Channel, Report, Status
from tests import email_base
from tests.email_base import DONE, FAILED, PDF, RESIDENT, EmailChannelTestCase, jpeg, mail

setUpModule, tearDownModule = email_base.start_servers, email_base.stop_servers


class NewReportTests(EmailChannelTestCase):
    def test_new_mail_with_a_photo_and_a_pdf_becomes_a_report_and_the_answer_arrives_by_smtp(self):
        sent = self.deliver(
            mail(attachments=[("tiang.jpg", jpeg(), "image/jpeg"), ("surat.pdf", PDF, "application/pdf")])
        )

        moved = self.poll()

        report = Report.objects.get()
        self.assertEqual(moved, 1)
        self.assertEqual(report.channel, Channel.EMAIL)
        self.assertEqual(report.reply_channel, "email")
        self.assertEqual((report.reporter_email, report.reporter_name), (RESIDENT, "Sari Wulandari"))
        self.assertEqual(report.channel_reference, sent["Message-ID"])
        self.assertEqual(report.received_at.isoformat(), "2026-03-12T12:42:05+00:00")
        self.assertTrue(report.description.startswith("Lampu jalan mati\n\nLampu jalan di Jl. Merdeka"))
        self.assertEqual(
            sorted(report.attachments.values_list("original_name", "content_type")),
            [("surat.pdf", "application/pdf"), ("tiang.jpg", "image/jpeg")],
        )
        message = InboundMessage.objects.get()
        self.assertEqual((message.channel, message.outcome, message.report), ("email", "processed", report))
        self.assertEqual((message.provider_id, message.sender), (sent["Message-ID"], RESIDENT))
        with default_storage.open(message.payload["raw"], "rb") as raw:
            self.assertEqual(raw.read(), sent.as_bytes(policy=SMTP))

        self.assertEqual(self.imap.messages("INBOX"), [])
        self.assertEqual(len(self.imap.messages(DONE)), 1)

        [answer] = self.answers()
        self.assertEqual(answer["Subject"], f"[{report.tracking_number}] Re: Lampu jalan mati")
        self.assertEqual(answer["In-Reply-To"], sent["Message-ID"])
        self.assertEqual(answer["References"], sent["Message-ID"])
        self.assertEqual(answer["Auto-Submitted"], "auto-replied")
        self.assertEqual(answer["From"], "aduan@blitarkota.go.id")
        self.assertIn(f"Laporan Anda diterima dengan nomor {report.tracking_number}", answer.get_content())
        self.assertIn(reverse("portal:track_detail", args=[report.secret]), answer.get_content())

        [row] = self.assertQueued()
        self.assertEqual((row.channel, row.recipient, row.report, row.state), ("email", RESIDENT, report, "sent"))
        self.assertEqual(row.dedupe_key, f"email:reply:{message.pk}")
        self.assertEqual(row.subject, answer["Subject"])
        self.assertEqual(
            row.headers,
            {"Auto-Submitted": "auto-replied", "In-Reply-To": sent["Message-ID"], "References": sent["Message-ID"]},
        )
        self.assertEqual(row.delivery_attempts.get().provider_message_id, answer["Message-ID"])

    @override_settings(ADUAN_SITE_URL="https://aduan.blitarkota.go.id")
    def test_the_tracking_link_in_the_answer_uses_site_url(self):
        self.deliver(mail())

        self.poll()

        report = Report.objects.get()
        link = "https://aduan.blitarkota.go.id" + reverse("portal:track_detail", args=[report.secret])
        self.assertIn(link, self.answer_text())

    def test_html_only_mail_becomes_a_report_with_its_text(self):
        html = (
            "<html><head><style>p {color: red}</style><script>alert(1)</script></head><body>"
            "<p>Pohon tumbang di <b>Jl. Kenari</b>&nbsp;menutup jalan.</p><p>Mohon segera&hellip;</p></body></html>"
        )
        self.deliver(mail(subject="Pohon tumbang", body=None, html=html))

        self.poll()

        report = Report.objects.get()
        self.assertEqual(
            report.description, "Pohon tumbang\n\nPohon tumbang di Jl. Kenari menutup jalan.\n\nMohon segera…"
        )
        self.assertNotIn("alert", report.description)
        self.assertEqual(len(self.answers()), 1)

    def test_plain_text_is_preferred_to_the_html_alternative(self):
        self.deliver(mail(body="Teks biasa.", html="<p>Teks <i>HTML</i>.</p>"))

        self.poll()

        self.assertEqual(Report.objects.get().description, "Lampu jalan mati\n\nTeks biasa.")
        self.assertFalse(Report.objects.get().attachments.exists())

    def test_latin1_subject_and_body_in_quoted_printable_and_base64_are_decoded(self):
        raw_qp = (
            b"From: =?ISO-8859-1?Q?Andr=E9_Pr=E1tama?= <andre@contoh.id>\r\n"
            b"To: aduan@blitarkota.go.id\r\n"
            b"Subject: =?ISO-8859-1?Q?Selokan_mampet_dekat_Caf=E9_Se=F1or?=\r\n"
            b"Message-ID: <qp-1@contoh.id>\r\n"
            b"MIME-Version: 1.0\r\n"
            b"Content-Type: text/plain; charset=ISO-8859-1\r\n"
            b"Content-Transfer-Encoding: quoted-printable\r\n"
            b"\r\n"
            b"Air meluap sampai ke Caf=E9 Se=F1or, bau sekali.\r\n"
        )
        raw_b64 = (
            b"From: andre@contoh.id\r\n"
            b"Subject: =?iso-8859-1?B?RGFtcGFrIGRpIGphbGFuIPxiZXIgbGFtYQ==?=\r\n"
            b"Message-ID: <b64-1@contoh.id>\r\n"
            b"MIME-Version: 1.0\r\n"
            b"Content-Type: text/plain; charset=iso-8859-1\r\n"
            b"Content-Transfer-Encoding: base64\r\n"
            b"\r\n" + base64.encodebytes("Jalan rusak di depan toko Müller.".encode("latin-1")) + b"\r\n"
        )
        self.deliver(raw_qp)
        self.deliver(raw_b64)

        self.poll()

        first, second = Report.objects.order_by("pk")
        self.assertEqual(first.title, "Selokan mampet dekat Café Señor")
        self.assertIn("Air meluap sampai ke Café Señor, bau sekali.", first.description)
        self.assertEqual(first.reporter_name, "André Prátama")
        self.assertEqual(second.title, "Dampak di jalan über lama")
        self.assertIn("Jalan rusak di depan toko Müller.", second.description)
        self.assertEqual(len(self.answers("andre@contoh.id")), 2)

    @override_settings(ADUAN_CHANNEL_MAX_MEDIA_BYTES=20_000)
    def test_an_oversized_attachment_is_refused_politely_and_the_report_still_made(self):
        big = jpeg(size=(1200, 900), color=(10, 120, 200)) + b"\0" * 25_000
        self.deliver(mail(attachments=[("besar.jpg", big, "image/jpeg"), ("kecil.jpg", jpeg(), "image/jpeg")]))

        self.poll()

        report = Report.objects.get()
        self.assertEqual(list(report.attachments.values_list("original_name", flat=True)), ["kecil.jpg"])
        text = self.answer_text()
        self.assertIn(f"Laporan Anda diterima dengan nomor {report.tracking_number}", text)
        self.assertIn("Lampiran berikut tidak kami simpan", text)
        self.assertIn("besar.jpg terlalu besar", text)
        self.assertNotIn("kecil.jpg", text)
        self.assertEqual(InboundMessage.objects.get().outcome, "processed")

    def test_unreadable_files_and_files_beyond_the_maximum_are_named_in_the_answer(self):
        files = [(f"foto-{n}.jpg", jpeg(color=(n * 40, 0, 0)), "image/jpeg") for n in range(6)]
        files.append(("virus.exe", b"MZ\x90\x00 not a photo", "application/octet-stream"))
        self.deliver(mail(attachments=files))

        self.poll()

        report = Report.objects.get()
        self.assertEqual(report.attachments.count(), 5)
        text = self.answer_text()
        self.assertIn("foto-5.jpg tidak disimpan: paling banyak 5 lampiran", text)
        self.assertIn("virus.exe", text)


class ReplyTests(EmailChannelTestCase):
    def test_reply_with_the_tracking_number_attaches_to_the_report_without_the_quoted_text(self):
        report = self.report_by_mail()
        body = (
            "Lampunya masih mati sampai malam ini.\n"
            "\n"
            "On Thu, 12 Mar 2026 at 20:00, Aduan Kota Blitar <aduan@blitarkota.go.id>\n"
            "wrote:\n"
            "> Laporan Anda diterima dengan nomor ...\n"
            "> Pantau dan balas lewat ...\n"
        )
        reply = self.deliver(
            mail(
                subject=f"Re: [{report.tracking_number}] Re: Lampu jalan mati",
                body=body,
                attachments=[("malam.jpg", jpeg(), "image/jpeg")],
            )
        )

        self.poll()

        self.assertEqual(Report.objects.count(), 1)
        event = report.events.get(action="reporter_message")
        self.assertEqual(event.message, "Lampunya masih mati sampai malam ini.")
        self.assertEqual(list(event.attachments.values_list("original_name", flat=True)), ["malam.jpg"])
        self.assertEqual(InboundMessage.objects.get(provider_id=reply["Message-ID"]).report, report)
        [answer] = self.answers()
        self.assertEqual(answer["Subject"], f"[{report.tracking_number}] Re: Lampu jalan mati")
        self.assertEqual(answer["In-Reply-To"], reply["Message-ID"])
        self.assertIn(f"Pesan Anda sudah kami tambahkan ke laporan {report.tracking_number}", answer.get_content())

    def test_reply_to_a_question_on_hold_answers_it_and_trims_the_indonesian_quote(self):
        report = self.report_by_mail()
        actions.hold_report(report, actor=self.coordinator, question="Di tiang nomor berapa?")
        body = "Tiang nomor 17.\n\nPada Kam, 12 Mar 2026 20.00, Aduan <aduan@blitarkota.go.id> menulis:\n> Di tiang?\n"
        self.deliver(mail(subject=f"Balas: {report.tracking_number.lower()}", body=body))

        self.poll()

        report.refresh_from_db()
        self.assertEqual(report.status, Status.RECEIVED)
        self.assertEqual(report.events.get(action="reporter_replied").message, "Tiang nomor 17.")
        self.assertIn("jawaban Anda untuk laporan", self.answer_text())

    def test_reply_from_a_different_address_becomes_a_new_report_not_an_addition(self):
        report = self.report_by_mail()
        self.deliver(
            mail(subject=f"Re: [{report.tracking_number}] Lampu jalan mati", sender="Orang Lain <lain@contoh.id>")
        )

        self.poll()

        self.assertFalse(report.events.filter(action__in=["reporter_message", "reporter_replied"]).exists())
        other = Report.objects.exclude(pk=report.pk).get()
        self.assertEqual(other.reporter_email, "lain@contoh.id")
        self.assertIn(report.tracking_number, other.description)  # the coordinator can merge them
        self.assertEqual(self.answers(RESIDENT), [])
        self.assertIn(other.tracking_number, self.answer_text("lain@contoh.id"))
        self.assertNotIn(report.secret, self.answer_text("lain@contoh.id"))

    def test_reply_to_a_closed_report_is_kept_for_a_human_and_the_resident_told(self):
        report = self.report_by_mail()
        actions.archive_report(report, actor=self.coordinator, reason="spam")
        self.deliver(mail(subject=f"Re: [{report.tracking_number}]", body="Kenapa diarsipkan?"))

        self.poll()

        message = InboundMessage.objects.get(text="Kenapa diarsipkan?")
        self.assertEqual(message.outcome, "failed")
        self.assertEqual(len(self.imap.messages(FAILED)), 1)
        self.assertIn("tidak dapat dilakukan", self.answer_text())


class AutomaticMailTests(EmailChannelTestCase):
    def test_auto_reply_is_ignored_and_not_answered(self):
        report = self.report_by_mail()
        self.deliver(
            mail(
                subject=f"Out of office: [{report.tracking_number}] Lampu jalan mati",
                body="Saya sedang cuti sampai 20 Maret.",
                headers={"Auto-Submitted": "auto-replied"},
            )
        )

        self.poll()

        self.assertEqual(InboundMessage.objects.get(text__startswith="Saya sedang cuti").outcome, "ignored")
        self.assertFalse(report.events.filter(action="reporter_message").exists())
        self.assertEqual(Report.objects.count(), 1)
        self.assertEqual(self.smtp.messages, [])
        self.assertQueued(count=1)  # the answer to the first mail only
        self.assertEqual(len(self.imap.messages(DONE)), 2)

    def test_bounces_and_bulk_mail_are_ignored_and_not_answered(self):
        self.deliver(mail(sender="Mail Delivery System <MAILER-DAEMON@contoh.id>", subject="Undelivered Mail"))
        self.deliver(mail(subject="Promo", headers={"Precedence": "bulk"}))
        self.deliver(mail(subject="Cuti", headers={"X-Autoreply": "yes"}))

        self.poll()

        self.assertEqual(set(InboundMessage.objects.values_list("outcome", flat=True)), {"ignored"})
        self.assertEqual(InboundMessage.objects.count(), 3)
        self.assertFalse(Report.objects.exists())
        self.assertEqual(self.smtp.messages, [])
        self.assertNothingQueued()

    def test_auto_submitted_no_is_an_ordinary_mail(self):
        self.deliver(mail(headers={"Auto-Submitted": "no"}))

        self.poll()

        self.assertEqual(Report.objects.count(), 1)


class QuoteTrimmingTests(SimpleTestCase):
    def test_quoted_lines_and_signatures_are_trimmed(self):
        cases = {
            "Terima kasih.\n> kutipan\n> lagi": "Terima kasih.",
            "Sudah.\n\n-----Original Message-----\nFrom: aduan": "Sudah.",
            "Oke.\n-- \nSari\n0812-3456-7890": "Oke.",
            "Baik.\nOn 12 Mar 2026, at 20:00, aduan@blitarkota.go.id wrote:\n> x": "Baik.",
        }
        for text, expected in cases.items():
            with self.subTest(text=text):
                self.assertEqual(channel.strip_quoted(text), expected)

    def test_a_line_merely_starting_with_on_is_kept(self):
        text = "On the corner of Jl. Kenari the lamp is out.\nStill dark."
        self.assertEqual(channel.strip_quoted(text), text)

    def test_tracking_numbers_are_found_in_subjects(self):
        self.assertEqual(channel.tracking_number_in("Re: [BLT-2026-000123] Lampu"), "BLT-2026-000123")
        self.assertEqual(channel.tracking_number_in("re: blt-2026-000123"), "BLT-2026-000123")
        self.assertEqual(channel.tracking_number_in("XBLT-2026-000123"), "")
        self.assertEqual(channel.tracking_number_in("BLT-2026-0001234"), "")
