"""Media on S3-compatible object storage (issue 21): attachments and decree documents go to a
private bucket, and leave it only through a short-lived signed URL handed out after the same
access check as local files; backup and restore carry the bucket's objects; /readyz asks the
bucket. Against moto's S3 server started by the test set-up (tests/s3.py), on any database."""

import datetime as dt
import io
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.shortcuts import resolve_url
from django.test import SimpleTestCase, TransactionTestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from aduan import objectstorage
from agencies.models import Decree, Role
from core import backup
from core.uploads import clean_bytes
from reports.models import Attachment, Report, ReportEvent
from tests import factory
from tests.api_base import ApiTestCase
from tests.s3 import bucket, keys_in, s3_endpoint  # noqa: F401  (fixtures)
from tests.test_portal_submit import SubmitForm, photo

LOCAL = {"BACKEND": "django.core.files.storage.FileSystemStorage"}


class SignedUrlAssertions:
    def assertSignedUrl(self, response, *, seconds, disposition):
        """A 302 to this test's bucket with a signed URL valid ``seconds``, which downloads;
        the downloaded response (for its bytes and headers)."""
        self.assertEqual(response.status_code, 302, response.content[:300])
        location = response["Location"]
        parts = urlsplit(location)
        self.assertEqual(f"{parts.scheme}://{parts.netloc}", self.endpoint)
        self.assertTrue(parts.path.startswith(f"/{self.bucket}/"), location)
        query = parse_qs(parts.query)
        self.assertEqual(query["X-Amz-Expires"], [str(seconds)])
        self.assertEqual(query["X-Amz-Algorithm"], ["AWS4-HMAC-SHA256"])
        self.assertTrue(query["response-content-disposition"][0].startswith(f"{disposition};"))
        self.assertEqual(response["Cache-Control"], "private, no-store")
        downloaded = httpx.get(location)
        self.assertEqual(downloaded.status_code, 200)
        self.assertTrue(downloaded.headers["Content-Disposition"].startswith(f"{disposition};"))
        # Without its signature the same object is refused: the bucket is private.
        self.assertEqual(httpx.get(f"{parts.scheme}://{parts.netloc}{parts.path}").status_code, 403)
        return downloaded

    def assertRefusedWithoutUrl(self, response, status=404):
        self.assertEqual(response.status_code, status)
        self.assertFalse(response.has_header("Location"))
        self.assertNotIn(self.bucket.encode(), response.content)


@pytest.mark.usefixtures("bucket")
class AttachmentsInABucketTests(SignedUrlAssertions, SubmitForm, ApiTestCase):
    def disposed_with_photo(self, **overrides):
        report = factory.make_disposed(
            self.coordinator,
            self.public_works,
            category=self.category,
            attachments=[clean_bytes("lampu.jpg", factory.jpeg_bytes())],
            **overrides,
        )
        return report, report.attachments.get()

    def test_a_residents_photo_from_the_portal_form_lands_in_the_bucket(self):
        response = self.submit(files=[photo("lampu-mati.jpg")])

        self.assertEqual(response.status_code, 302)
        attachment = Attachment.objects.get()
        stored = self.s3.get_object(Bucket=self.bucket, Key=attachment.file.name)
        body = stored["Body"].read()
        self.assertEqual(len(body), attachment.size)
        self.assertEqual(body[:3], b"\xff\xd8\xff")  # the re-encoded JPEG, not the upload
        self.assertEqual(keys_in(self.s3, self.bucket), [attachment.file.name])
        media = Path(settings.MEDIA_ROOT)
        self.assertEqual([p for p in media.rglob("*") if p.is_file()] if media.exists() else [], [])

    @override_settings(ADUAN_S3_URL_SECONDS=120)
    def test_staff_with_access_get_a_short_lived_signed_url_to_the_same_bytes(self):
        report, attachment = self.disposed_with_photo()
        original = self.s3.get_object(Bucket=self.bucket, Key=attachment.file.name)["Body"].read()
        url = reverse("workspace:attachment", args=[attachment.pk])

        for user in (self.coordinator, self.pw_liaison, self.executive):
            with self.subTest(user=user.username):
                self.login(user)
                downloaded = self.assertSignedUrl(self.client.get(url), seconds=120, disposition="inline")
                self.assertEqual(downloaded.content, original)
                self.assertEqual(downloaded.headers["Content-Type"], "image/jpeg")
        api = self.get(reverse("api:staff-attachment", args=[attachment.pk]), user=self.pw_liaison)
        self.assertEqual(self.assertSignedUrl(api, seconds=120, disposition="inline").content, original)

    def test_staff_and_agencies_without_access_get_404_and_no_url(self):
        report, attachment = self.disposed_with_photo()
        url = reverse("workspace:attachment", args=[attachment.pk])

        for user in (self.transport_liaison, self.outsider):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertRefusedWithoutUrl(self.client.get(url), 403 if user is self.outsider else 404)
        api = self.get(reverse("api:staff-attachment", args=[attachment.pk]), user=self.transport_liaison)
        self.assertRefusedWithoutUrl(api)
        self.client.logout()
        to_login = self.client.get(url)
        self.assertEqual(to_login.status_code, 302)
        self.assertNotIn(self.bucket, to_login["Location"])
        self.assertTrue(to_login["Location"].startswith(resolve_url(settings.LOGIN_URL)))

    def outcomes(self, report):
        """Who gets what for each of ``report``'s files: served, refused (404/403) or sent to
        the log-in page, whatever the storage."""

        def outcome(response):
            if response.status_code == 200 or (
                response.status_code == 302 and response["Location"].startswith(self.endpoint)
            ):
                return "served"
            if response.status_code == 302:
                return "login"
            return response.status_code

        found = {}
        for attachment in report.attachments.order_by("original_name"):
            urls = {
                "staff": reverse("workspace:attachment", args=[attachment.pk]),
                "track": reverse("portal:track_attachment", args=[report.secret, attachment.pk]),
                "public": reverse("portal:public_attachment", args=[report.tracking_number, attachment.pk]),
            }
            for who in (None, self.coordinator, self.pw_liaison, self.transport_liaison):
                self.client.logout()
                if who is not None:
                    self.login(who)
                for kind, url in urls.items():
                    found[(attachment.original_name, kind, who and who.username)] = outcome(self.client.get(url))
        return found

    def test_an_anonymous_reports_files_are_guarded_as_with_local_files(self):
        files = [clean_bytes("wajah.jpg", factory.jpeg_bytes()), clean_bytes("ktp.pdf", factory.PDF_BYTES)]
        with self.settings(STORAGES={**settings.STORAGES, "default": LOCAL}):
            local_report, _ = self.disposed_with_photo(is_anonymous=True)
            for upload in files:
                local_report.attachments.create(
                    file=ContentFile(upload.content, name=upload.name),
                    original_name=upload.name,
                    content_type=upload.content_type,
                    size=len(upload.content),
                    is_public=True,
                )
            local = self.outcomes(local_report)
        report, _ = self.disposed_with_photo(is_anonymous=True)
        for upload in files:
            report.attachments.create(
                file=ContentFile(upload.content, name=upload.name),
                original_name=upload.name,
                content_type=upload.content_type,
                size=len(upload.content),
                is_public=True,
            )

        in_bucket = self.outcomes(report)

        self.assertEqual(in_bucket, local)
        self.assertIn("served", in_bucket.values())
        self.assertEqual(in_bucket[("ktp.pdf", "public", None)], 404)  # a reporter's PDF is never public
        self.assertEqual(in_bucket[("wajah.jpg", "staff", "penghubung_dishub")], 404)
        self.assertEqual(in_bucket[("wajah.jpg", "staff", None)], "login")

    def test_a_decree_document_is_kept_in_the_bucket_and_opened_by_coverage_readers_only(self):
        today = timezone.localdate()
        decree = Decree.objects.create(
            number="188.45/7/410.010",
            date=today,
            valid_from=today,
            valid_until=today + dt.timedelta(days=365),
            document=ContentFile(factory.PDF_BYTES, name="sk-penghubung.pdf"),
        )
        self.assertEqual(keys_in(self.s3, self.bucket), [decree.document.name])
        link = decree.document.url
        self.assertEqual(link, reverse("staffing:decree_document", args=[decree.document.name]))

        self.login(self.coordinator)
        downloaded = self.assertSignedUrl(
            self.client.get(link), seconds=settings.ADUAN_S3_URL_SECONDS, disposition="inline"
        )
        self.assertEqual(
            (downloaded.content, downloaded.headers["Content-Type"]), (factory.PDF_BYTES, "application/pdf")
        )
        self.login(self.pw_liaison)
        self.assertRefusedWithoutUrl(self.client.get(link), 403)
        self.login(self.coordinator)
        self.assertRefusedWithoutUrl(self.client.get(reverse("staffing:decree_document", args=["decrees/x.pdf"])))

    def test_readyz_asks_the_bucket_and_leaves_nothing_in_it(self):
        body = self.client.get("/readyz").json()
        self.assertEqual((body["status"], body["storage"]), ("ok", "ok"))
        self.assertEqual(keys_in(self.s3, self.bucket), [])

        gone = objectstorage.media_storage(
            "tidak-ada-ember", endpoint_url=self.endpoint, access_key="x", secret_key="y", region="us-east-1"
        )
        with self.settings(STORAGES={**settings.STORAGES, "default": gone}), self.assertLogs("aduan.readiness"):
            response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual((response.json()["storage"], response.json()["status"]), ("unreachable", "fail"))


@pytest.mark.usefixtures("bucket")
class BucketBackupTests(TransactionTestCase):
    def setUp(self):
        unit = factory.make_agency("Unit Layanan Pengaduan", short_name="ULPIM", is_complaint_unit=True)
        self.coordinator = factory.make_staff(Role.COORDINATOR, unit, "koordinator")
        self.folder = Path(settings.MEDIA_ROOT).parent / "backups"

    def report_with_photo(self):
        report = factory.make_report(attachments=[clean_bytes("foto.jpg", factory.jpeg_bytes(size=(80, 60)))])
        return report, report.attachments.get()

    def empty(self):
        for model in (Attachment, ReportEvent, Report):
            model._base_manager.all().delete()
        for key in keys_in(self.s3, self.bucket):
            self.s3.delete_object(Bucket=self.bucket, Key=key)

    def test_backup_carries_the_buckets_objects_and_restore_puts_them_back(self):
        report, attachment = self.report_with_photo()
        key = attachment.file.name
        original = self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()

        call_command("backup", dir=str(self.folder), keep=3, stdout=io.StringIO())
        [archive] = backup.archives_in(self.folder)
        manifest = backup.read_manifest(archive)
        self.assertEqual((manifest["media_storage"], manifest["media_files"]), ("bucket", 1))
        self.assertEqual(manifest["media_bytes"], len(original))

        self.empty()
        self.assertEqual(keys_in(self.s3, self.bucket), [])
        call_command("restore", str(archive), stdout=io.StringIO())

        self.assertEqual(keys_in(self.s3, self.bucket), [key])
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read(), original)
        restored = Attachment.objects.get()
        with restored.file.open("rb") as handle:
            self.assertEqual(handle.read(), original)

    def test_a_database_only_backup_leaves_the_bucket_to_its_own_protection(self):
        self.report_with_photo()

        call_command("backup", dir=str(self.folder), no_media=True, stdout=io.StringIO())

        [archive] = backup.archives_in(self.folder)
        manifest = backup.read_manifest(archive)
        self.assertEqual((manifest["media_storage"], manifest["media_files"]), ("not included", 0))
        with tarfile.open(archive) as tar:
            self.assertEqual([m for m in tar.getnames() if m.startswith("media/")], [])
        self.assertEqual(manifest["rows"]["reports.Attachment"], 1)

    def test_an_archive_of_local_files_restores_into_the_bucket(self):
        """How an installation moves its files to object storage: a backup with local media,
        restored with ADUAN_S3_BUCKET set."""
        with self.settings(STORAGES={**settings.STORAGES, "default": LOCAL}):
            report, attachment = self.report_with_photo()
            original = (Path(settings.MEDIA_ROOT) / attachment.file.name).read_bytes()
            result = backup.create(self.folder)
        self.assertEqual(result.manifest["media_storage"], "files")
        Attachment.objects.all().delete()
        ReportEvent.objects.all().delete()
        Report.objects.all().delete()

        backup.restore(result.path)

        self.assertEqual(keys_in(self.s3, self.bucket), [attachment.file.name])
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key=attachment.file.name)["Body"].read(), original)

    def test_an_unreachable_bucket_fails_the_backup_with_a_reason_and_no_half_archive(self):
        self.report_with_photo()
        gone = objectstorage.media_storage(
            "tidak-ada-ember", endpoint_url=self.endpoint, access_key="x", secret_key="y", region="us-east-1"
        )
        with (
            self.settings(STORAGES={**settings.STORAGES, "default": gone}),
            self.assertRaisesMessage(CommandError, "media bucket 'tidak-ada-ember' failed"),
        ):
            call_command("backup", dir=str(self.folder), stdout=io.StringIO())
        self.assertEqual(list(self.folder.glob("*")) if self.folder.exists() else [], [])


class SettingsTests(SimpleTestCase):
    def test_no_bucket_means_local_files_as_before(self):
        self.assertEqual(objectstorage.media_storage(""), LOCAL)
        self.assertEqual(objectstorage.media_origins(""), [])

    def test_a_bucket_is_private_signed_and_short_lived(self):
        config = objectstorage.media_storage("aduan-blitar", endpoint_url="https://s3.example.go.id", url_seconds=90)
        options = config["OPTIONS"]
        self.assertEqual(config["BACKEND"], "storages.backends.s3.S3Storage")
        self.assertIsNone(options["default_acl"])
        self.assertTrue(options["querystring_auth"])
        self.assertEqual(options["querystring_expire"], 90)
        self.assertFalse(options["file_overwrite"])
        self.assertEqual(options["client_config"].signature_version, "s3v4")
        self.assertEqual(options["client_config"].s3, {"addressing_style": "path"})
        self.assertNotIn("access_key", options)  # boto3 finds its own (an instance role)
        self.assertEqual(
            objectstorage.media_origins("aduan-blitar", endpoint_url="https://s3.example.go.id:9000/"),
            ["https://s3.example.go.id:9000"],
        )

    def test_a_photo_shown_in_a_page_may_follow_the_redirect_to_the_bucket(self):
        env = {**os.environ, "ADUAN_S3_BUCKET": "aduan-blitar", "ADUAN_S3_ENDPOINT_URL": "https://s3.example.go.id"}
        done = subprocess.run(
            [sys.executable, "-c",
             "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'aduan.settings'); django.setup();"
             "from django.conf import settings as s; print(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'][-1]);"
             "print(s.STORAGES['default']['OPTIONS']['bucket_name'])"],
            env=env, capture_output=True, text=True, cwd=settings.BASE_DIR, timeout=60,
        )  # fmt: skip
        self.assertEqual(done.stdout.split(), ["https://s3.example.go.id", "aduan-blitar"], done.stderr[-2000:])
