"""The REST API for staff: tokens, lists with the inbox filters, one report, the actions,
and the privacy rules of reports/access.py."""

import datetime as dt

import time_machine
from django.utils import timezone

from agencies.models import Appointment
from api.models import StaffToken, hash_key
from core.uploads import clean_bytes
from reports import actions
from reports.models import Audience, IdentityRead, Status
from tests import factory
from tests.api_base import ApiTestCase

REPORTS = "/api/v1/staff/reports/"
DISPOSITIONS = "/api/v1/staff/dispositions/"


def report_url(report, action=""):
    return f"{REPORTS}{report.pk}/" + (f"{action}/" if action else "")


def disposition_url(disposition, action=""):
    return f"{DISPOSITIONS}{disposition.pk}/" + (f"{action}/" if action else "")


class TokenTests(ApiTestCase):
    def setUp(self):
        super().setUp()
        # setUpTestData hashed the passwords before the tests' fast hasher was set.
        for user in (self.coordinator, self.outsider):
            user.set_password("rahasia-demo-123")
            user.save()

    def obtain(self, username, password="rahasia-demo-123"):
        return self.post("/api/v1/auth/token/", {"username": username, "password": password})

    def test_staff_obtain_a_token_stored_only_as_a_hash(self):
        response = self.obtain("koordinator")
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["roles"], ["coordinator"])
        token = StaffToken.objects.get(user=self.coordinator)
        self.assertEqual(token.key_hash, hash_key(body["token"]))
        self.assertNotIn(body["token"], token.key_hash + token.prefix)
        listed = self.client.get(REPORTS, headers={"Authorization": f"Token {body['token']}"})
        self.assertEqual(listed.status_code, 200)
        bearer = self.client.get(REPORTS, headers={"Authorization": f"Bearer {body['token']}"})
        self.assertEqual(bearer.status_code, 200)

    def test_a_wrong_password_is_401(self):
        self.assertError(self.obtain("koordinator", "salah"), 401, "authentication_failed")

    def test_an_account_without_an_appointment_gets_no_token(self):
        self.assertError(self.obtain("tanpa_sk"), 403, "permission_denied")
        self.assertFalse(StaffToken.objects.exists())

    def test_no_token_is_401_and_a_bad_one_too(self):
        self.assertError(self.client.get(REPORTS), 401, "not_authenticated")
        self.assertError(self.client.get(REPORTS, headers={"Authorization": "Token nope"}), 401)
        self.assertError(self.client.get(REPORTS, headers={"Authorization": "Token a b"}), 401)

    def test_a_revoked_token_opens_nothing(self):
        key = self.token_for(self.coordinator)
        auth = {"Authorization": f"Token {key}"}
        self.assertEqual(self.client.post("/api/v1/auth/token/revoke/", headers=auth).status_code, 204)
        self.assertError(self.client.get(REPORTS, headers=auth), 401)

    def test_access_comes_from_the_appointment_not_the_token(self):
        key = self.token_for(self.pw_liaison)
        Appointment.objects.filter(person=self.pw_liaison).update(valid_until=timezone.now() - dt.timedelta(days=1))
        response = self.client.get(REPORTS, headers={"Authorization": f"Token {key}"})
        self.assertError(response, 403, "permission_denied")

    def test_errors_in_english_on_request(self):
        response = self.client.get(REPORTS, headers={"Accept-Language": "en"})
        errors = self.assertError(response, 401)
        self.assertIn("Log in", errors[0]["message"])


class ListTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.received = factory.make_report(category=cls.category, region=cls.kelurahan, description="Sampah menumpuk")
        cls.to_pw = factory.make_disposed(
            cls.coordinator, cls.public_works, category=cls.category, region=cls.kelurahan
        )
        cls.to_transport = factory.make_disposed(
            cls.coordinator,
            cls.transport,
            category=cls.other_category,
            region=cls.other_kelurahan,
            channel="whatsapp",
            kind="aspiration",
        )

    def ids(self, user, **params):
        response = self.get(REPORTS, user, data=params)
        self.assertEqual(response.status_code, 200, response.content)
        return {row["id"] for row in response.json()["results"]}

    def test_coordinator_sees_everything_an_agency_only_its_own(self):
        self.assertEqual(self.ids(self.coordinator), {self.received.pk, self.to_pw.pk, self.to_transport.pk})
        self.assertEqual(self.ids(self.pw_liaison), {self.to_pw.pk})
        self.assertEqual(self.ids(self.transport_liaison), {self.to_transport.pk})
        self.assertEqual(self.ids(self.pw_head), {self.to_pw.pk})

    def test_filters_mirror_the_inbox(self):
        c = self.coordinator
        self.assertEqual(self.ids(c, status="received"), {self.received.pk})
        self.assertEqual(
            self.ids(c, status=["received", "disposed"]), {self.received.pk, self.to_pw.pk, self.to_transport.pk}
        )
        self.assertEqual(self.ids(c, kind="aspiration"), {self.to_transport.pk})
        self.assertEqual(self.ids(c, category=self.other_category.pk), {self.to_transport.pk})
        self.assertEqual(
            self.ids(c, category=self.category.parent_id), {self.received.pk, self.to_pw.pk, self.to_transport.pk}
        )
        self.assertEqual(self.ids(c, agency=self.public_works.pk), {self.to_pw.pk})
        self.assertEqual(self.ids(c, channel="whatsapp"), {self.to_transport.pk})
        self.assertEqual(self.ids(c, kelurahan=self.other_kelurahan.pk), {self.to_transport.pk})
        self.assertEqual(self.ids(c, q="Sampah"), {self.received.pk})
        self.assertEqual(self.ids(c, q=self.to_pw.tracking_number), {self.to_pw.pk})
        self.assertEqual(self.ids(c, overdue="true"), set())
        with time_machine.travel(timezone.now() + dt.timedelta(days=30)):
            self.assertEqual(self.ids(c, overdue="true"), {self.received.pk, self.to_pw.pk, self.to_transport.pk})

    def test_an_agency_filtering_for_another_agency_finds_nothing(self):
        self.assertEqual(self.ids(self.transport_liaison, agency=self.public_works.pk), set())

    def test_bad_filters_are_400(self):
        errors = self.assertError(
            self.get(REPORTS, self.coordinator, data={"status": "nope", "received_from": "x"}), 400
        )
        self.assertEqual({e["field"] for e in errors}, {"status", "received_from"})

    def test_a_kelurahan_outside_the_chosen_kecamatan_is_400(self):
        far = factory.make_region("Sentul", parent=factory.make_region("Kepanjenkidul"))
        self.assertError(
            self.get(REPORTS, self.coordinator, data={"kecamatan": self.kecamatan.pk, "kelurahan": far.pk}),
            400,
            "outside_kecamatan",
            "kelurahan",
        )
        self.assertEqual(
            self.ids(self.coordinator, kecamatan=self.kecamatan.pk, kelurahan=self.other_kelurahan.pk),
            {self.to_transport.pk},
        )

    def test_pagination(self):
        response = self.get(REPORTS, self.coordinator, data={"page_size": 2})
        body = response.json()
        self.assertEqual(body["count"], 3)
        self.assertEqual(len(body["results"]), 2)
        self.assertIn("page=2", body["next"])
        second = self.get(REPORTS, self.coordinator, data={"page_size": 2, "page": 2}).json()
        self.assertEqual(len(second["results"]), 1)
        self.assertIsNone(second["next"])
        self.assertError(self.get(REPORTS, self.coordinator, data={"page": 9}), 404, "not_found")

    def test_disposition_list_is_per_agency(self):
        rows = self.get(DISPOSITIONS, self.transport_liaison).json()["results"]
        self.assertEqual([r["report"] for r in rows], [self.to_transport.pk])
        rows = self.get(DISPOSITIONS, self.coordinator, data={"state": "open"}).json()["results"]
        self.assertEqual({r["report"] for r in rows}, {self.to_pw.pk, self.to_transport.pk})
        self.assertError(self.get(DISPOSITIONS, self.coordinator, data={"state": "x"}), 400, field="state")


class DetailPrivacyTests(ApiTestCase):
    def test_an_agency_cannot_read_another_agencys_report(self):
        report = factory.make_disposed(self.coordinator, self.public_works)
        disposition = report.dispositions.get()
        self.assertEqual(self.get(report_url(report), self.pw_liaison).status_code, 200)
        self.assertError(self.get(report_url(report), self.transport_liaison), 404)
        self.assertError(self.get(disposition_url(disposition), self.transport_liaison), 404)
        self.assertError(self.get(report_url(report), self.outsider), 403)

    def test_identity_is_shown_where_access_allows_and_recorded(self):
        report = factory.make_disposed(self.coordinator, self.public_works)
        body = self.get(report_url(report), self.pw_liaison).json()
        self.assertEqual(body["reporter"]["name"], "Siti Aminah")
        self.assertTrue(IdentityRead.objects.filter(user=self.pw_liaison, report=report).exists())

    def test_an_anonymous_reporters_identity_never_appears(self):
        report = factory.make_disposed(self.coordinator, self.public_works, is_anonymous=True)
        actions.post_follow_up(report.dispositions.get(), actor=self.pw_liaison, message="Sedang dicek.")
        responses = [
            self.get(report_url(report), self.coordinator),
            self.get(report_url(report), self.pw_liaison),
            self.get(report_url(report), self.executive),
            self.get(REPORTS, self.coordinator),
            self.get(DISPOSITIONS, self.pw_liaison),
            self.get(f"/api/v1/resident/reports/{report.secret}/"),
            self.post(report_url(report, "note"), {"message": "cek"}, self.coordinator),
        ]
        for response in responses:
            self.assertEqual(response.status_code, 200, response.content)
            text = response.content.decode()
            for secret in ("Siti", "Aminah", "081234567890", "1234567890", "siti@example.org"):
                self.assertNotIn(secret, text)
        self.assertIsNone(responses[0].json()["reporter"])
        self.assertFalse(IdentityRead.objects.exists())

    def test_confidential_reports_stay_with_those_who_may_see_them(self):
        report = factory.make_disposed(
            self.coordinator, self.public_works, is_confidential=True, description="Pungli di kantor kelurahan X"
        )
        self.assertIn("Pungli", self.get(report_url(report), self.pw_liaison).content.decode())
        for response in (
            self.get(REPORTS, self.transport_liaison),
            self.get(report_url(report), self.transport_liaison),
        ):
            self.assertNotIn("Pungli", response.content.decode())

    def test_internal_attachments_download_only_for_the_reports_staff(self):
        report = factory.make_disposed(self.coordinator, self.public_works)
        actions.post_follow_up(
            report.dispositions.get(),
            actor=self.pw_liaison,
            message="Foto internal",
            audience=Audience.STAFF,
            attachments=[clean_bytes("dalam.jpg", factory.jpeg_bytes())],
        )
        attachment = self.get(report_url(report), self.pw_liaison).json()["attachments"][0]
        self.assertFalse(attachment["is_public"])
        self.assertEqual(self.get(attachment["url"], self.coordinator).status_code, 200)
        self.assertError(self.get(attachment["url"], self.transport_liaison), 404)
        resident = self.get(f"/api/v1/resident/reports/{report.secret}/").content.decode()
        self.assertNotIn("dalam.jpg", resident)


class ActionTests(ApiTestCase):
    def test_the_coordinators_path_verify_hold_dispose(self):
        report = self.make_report()
        response = self.post(report_url(report, "verify"), {"category": self.other_category.pk}, self.coordinator)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "verified")
        self.assertEqual(response.json()["category"]["id"], self.other_category.pk)
        self.assertIn("dispose", response.json()["allowed_actions"])
        response = self.post(report_url(report, "hold"), {"question": "Nomor rumah?"}, self.coordinator)
        self.assertEqual(response.json()["status"], "on_hold")
        self.assertEqual(response.json()["question"], "Nomor rumah?")
        actions.reply_as_reporter(report, actor=factory.reporter_of(report), message="12")
        response = self.post(
            report_url(report, "dispose"),
            {"lead_agency": self.public_works.pk, "supporting_agencies": [self.transport.pk], "instruction": "Cek"},
            self.coordinator,
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "disposed")
        self.assertEqual(len(response.json()["dispositions"]), 2)
        self.assertTrue(report.events.filter(action="disposed", actor=self.coordinator).exists())

    def test_classify_and_archive(self):
        report = self.make_report()
        self.post(report_url(report, "classify"), {"kind": "aspiration"}, self.coordinator)
        report.refresh_from_db()
        self.assertEqual(report.kind, "aspiration")
        response = self.post(report_url(report, "archive"), {"reason": "spam"}, self.coordinator)
        self.assertEqual(response.json()["status"], "archived")
        self.assertError(
            self.post(
                report_url(report, "archive"), {"reason": "duplicate", "duplicate_of": "BLT-1-1"}, self.coordinator
            ),
            400,
            field="duplicate_of",
        )

    def test_form_errors_and_invalid_transitions(self):
        report = self.make_report()
        self.assertError(self.post(report_url(report, "hold"), {}, self.coordinator), 400, "required", "question")
        self.assertError(
            self.post(report_url(report, "dispose"), {"lead_agency": 99999}, self.coordinator), 400, field="lead_agency"
        )
        self.assertError(self.post(report_url(report, "close"), {}, self.coordinator), 409, "invalid_transition")
        self.assertEqual(report.events.count(), 1)

    def test_an_id_no_database_integer_holds_is_a_form_error(self):
        report = factory.make_verified(self.coordinator)
        data = {"lead_agency": self.public_works.pk, "supporting_agencies": [146996821497099993088]}
        self.assertError(
            self.post(report_url(report, "dispose"), data, self.coordinator), 400, field="supporting_agencies"
        )

    def test_those_who_only_read_cannot_act(self):
        report = factory.make_disposed(self.coordinator, self.public_works)
        disposition = report.dispositions.get()
        self.assertError(self.post(report_url(report, "note"), {"message": "x"}, self.executive), 403)
        self.assertError(self.post(disposition_url(disposition, "finish"), {"message": "x"}, self.pw_head), 403)
        self.assertError(self.post(disposition_url(disposition, "finish"), {"message": "x"}, self.executive), 403)
        # agency staff are not coordinators: the workflow refuses
        self.assertError(self.post(report_url(report, "verify"), {}, self.pw_liaison), 403, "not_allowed")

    def test_another_agency_cannot_act_on_a_disposition(self):
        report = factory.make_disposed(self.coordinator, self.public_works)
        disposition = report.dispositions.get()
        for action, data in [("follow-up", {"message": "x", "audience": "public"}), ("finish", {"message": "x"})]:
            self.assertError(self.post(disposition_url(disposition, action), data, self.transport_liaison), 404)
        self.assertError(self.post(report_url(report, "hold"), {"question": "?"}, self.transport_liaison), 404)
        disposition.refresh_from_db()
        self.assertEqual(disposition.state, "pending")

    def test_the_agencys_path_follow_up_and_finish(self):
        report = factory.make_disposed(self.coordinator, self.public_works)
        disposition = report.dispositions.get()
        response = self.post(
            disposition_url(disposition, "follow-up"),
            {"message": "Tim meluncur.", "audience": "public"},
            self.pw_operator,
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["state"], "accepted")
        response = self.post(
            disposition_url(disposition, "finish"), {"message": "Selesai.", "audience": "reporter"}, self.pw_liaison
        )
        self.assertEqual(response.json()["state"], "done")
        report.refresh_from_db()
        self.assertEqual(report.status, Status.RESOLVED)

    def test_follow_up_with_a_photo(self):
        report = factory.make_disposed(self.coordinator, self.public_works)
        disposition = report.dispositions.get()
        from django.core.files.uploadedfile import SimpleUploadedFile

        photo = SimpleUploadedFile("hasil.jpg", factory.jpeg_bytes(), content_type="image/jpeg")
        response = self.post(
            disposition_url(disposition, "follow-up"),
            {"message": "Sudah", "audience": "public", "attachments": [photo]},
            self.pw_liaison,
            multipart=True,
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(report.attachments.count(), 1)

    def test_return_sends_it_back_to_the_coordinator(self):
        report = factory.make_disposed(self.coordinator, self.public_works)
        disposition = report.dispositions.get()
        response = self.post(disposition_url(disposition, "return"), {"reason": "Wewenang Dishub"}, self.pw_liaison)
        self.assertEqual(response.json()["state"], "returned")
        report.refresh_from_db()
        self.assertEqual(report.status, Status.VERIFIED)
        self.assertEqual(report.return_count, 1)


class PlumbingTests(ApiTestCase):
    def test_unknown_api_addresses_are_json_404(self):
        self.assertError(self.client.get("/api/v1/nothing/here/"), 404, "not_found")
        self.assertError(self.client.post("/api/v1/nothing/"), 404, "not_found")

    def test_wrong_method_is_405_json(self):
        self.assertError(self.client.delete("/api/v1/resident/track/"), 405, "method_not_allowed")

    def test_schema_and_docs_are_served_without_a_cdn(self):
        schema = self.client.get("/api/v1/schema/", headers={"Accept": "application/vnd.oai.openapi+json"})
        self.assertEqual(schema.status_code, 200)
        self.assertEqual(schema.json()["openapi"][:2], "3.")
        self.assertIn("/api/v1/staff/reports/{id}/verify/", schema.json()["paths"])
        for url in ("/api/v1/docs/", "/api/v1/redoc/"):
            page = self.client.get(url)
            self.assertEqual(page.status_code, 200)
            html = page.content.decode()
            self.assertIn("/static/drf_spectacular_sidecar/", html)
            for cdn in ("cdn.jsdelivr", "unpkg.com", "cdnjs"):
                self.assertNotIn(cdn, html)
