"""A base test case with the personas every test talks about."""

import shutil
import tempfile
import threading
from pathlib import Path

from django.db import connections
from django.test import TestCase, override_settings

from agencies.models import Role
from core import queues
from governments.models import Government
from notify.models import OutboxMessage
from tests import factory
from tests.fakes.server import FakeServer

# Tasks run at once, in the caller's thread, when enqueued (on commit, for most).
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": queues.ALL}}


def temporary_triage_model(test) -> Path:
    """Point ADUAN_TRIAGE_MODEL_PATH at ``model.joblib`` in a fresh directory for ``test``
    (a TestCase, in its setUp), removed when the test ends; answers the directory."""
    directory = Path(tempfile.mkdtemp())
    test.addCleanup(shutil.rmtree, directory, ignore_errors=True)
    override = override_settings(ADUAN_TRIAGE_MODEL_PATH=directory / "model.joblib")
    override.enable()
    test.addCleanup(override.disable)
    return directory


def at_once(work, threads=2):
    """Call ``work()`` in ``threads`` threads released together (a barrier), as concurrent
    workers would, each closing its database connections when done; answers the values
    the calls returned and the exceptions they raised (a thread's exception would
    otherwise vanish), each in the order they came."""
    barrier = threading.Barrier(threads)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(work())
        except Exception as exc:  # collected for the caller to assert
            errors.append(exc)
        finally:
            connections.close_all()

    started = [threading.Thread(target=run) for _ in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join()
    return results, errors


def three_category_examples(per_category):
    """Triage examples of three categories (roads, waste, other), ``per_category`` each,
    told in words that differ only by a number: the classifier tests' smallest tree."""
    from triage.classifier import Example

    rows = []
    for i in range(per_category):
        rows += [
            Example(f"aspal jalan rusak berlubang {i}", "Jalan", "DPUPR"),
            Example(f"sampah menumpuk belum diangkut {i}", "Sampah", "DLH"),
            Example(f"warga mengeluh soal itu {i}", "Lainnya", "Setda"),
        ]
    return rows


def two_cities_with_their_lists(kediri_host=""):
    """For a portal test with a transactional database: Kota Blitar (the installation's
    government) with its complaint unit, a kecamatan and kelurahan, a category; Kota Kediri
    (on ``kediri_host``, if given) with its own (Pesantren: Bangsal and Betet; Penerangan:
    Lampu jalan mati). Answers Kediri's government, Bangsal and the lamp category."""
    kecamatan = factory.make_region("Sananwetan")
    factory.make_region("Bendogerit", parent=kecamatan)
    roads = factory.Category.objects.create(name="Jalan dan jembatan")
    factory.make_category("Jalan berlubang", parent=roads)
    factory.make_agency("Unit Layanan Pengaduan", short_name="ULPIM", is_complaint_unit=True)
    kediri, _unit = factory.make_government("Kota Kediri", prefix="KDR")
    if kediri_host:
        kediri.host = kediri_host
        kediri.save()
    pesantren = factory.make_region("Pesantren", government=kediri)
    bangsal = factory.make_region("Bangsal", parent=pesantren)
    factory.make_region("Betet", parent=pesantren)
    lighting = factory.Category.objects.create(name="Penerangan", government=kediri)
    lamp = factory.make_category("Lampu jalan mati", parent=lighting, government=kediri)
    return {"kediri": kediri, "bangsal": bangsal, "lamp": lamp}


class OutboxAssertions:
    """Assertions on the notification outbox, for any TestCase."""

    def assertQueued(self, recipient=None, *, template=None, channel=None, count=1, **filters):
        """Exactly ``count`` outbox messages to ``recipient`` (with this template and channel,
        if given); answers them, oldest first."""
        if recipient is not None:
            filters["recipient"] = recipient
        if template is not None:
            filters["template_code"] = template
        if channel is not None:
            filters["channel"] = channel
        rows = list(OutboxMessage.objects.filter(**filters).order_by("pk"))
        self.assertEqual(len(rows), count, [(r.channel, r.recipient, r.template_code) for r in rows])
        return rows

    def assertNothingQueued(self, **filters):
        """No outbox message at all, or none matching ``filters``."""
        rows = OutboxMessage.objects.filter(**filters)
        self.assertFalse(rows.exists(), list(rows.values_list("channel", "recipient", "template_code")))


class FakeSmsGatewayMixin:
    """For a TestCase: the SMS gateway's fake (tests/fakes/server.py) as ``cls.gateway``, one
    per class (stopping a server takes up to half a second), configured as the gateway
    (URL, token "token-uji", sender "ADUAN"); its requests are forgotten before each test,
    its answers are the test's to set (``self.gateway.respond``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gateway = cls.enterClassContext(FakeServer())
        cls.enterClassContext(
            override_settings(
                ADUAN_SMS_GATEWAY_URL=cls.gateway.url, ADUAN_SMS_GATEWAY_TOKEN="token-uji", ADUAN_SMS_SENDER_ID="ADUAN"
            )
        )

    def setUp(self):
        super().setUp()
        self.gateway.requests.clear()


class AduanTestCase(OutboxAssertions, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.kecamatan = factory.make_region("Sananwetan")
        cls.kelurahan = factory.make_region("Bendogerit", parent=cls.kecamatan)
        cls.other_kelurahan = factory.make_region("Klampok", parent=cls.kecamatan)

        cls.unit = factory.make_agency("Unit Layanan Pengaduan", short_name="ULPIM", is_complaint_unit=True)
        cls.public_works = factory.make_agency("Dinas Pekerjaan Umum dan Penataan Ruang", short_name="DPUPR")
        cls.transport = factory.make_agency("Dinas Perhubungan", short_name="Dishub")

        parent = factory.Category.objects.create(name="Perhubungan")
        cls.category = factory.make_category("Lampu penerangan jalan umum", parent=parent, default_agency=cls.transport)
        cls.other_category = factory.make_category("Parkir liar", parent=parent, default_agency=cls.transport)

        cls.coordinator = factory.make_staff(Role.COORDINATOR, cls.unit, "koordinator")
        cls.pw_liaison = factory.make_staff(Role.LIAISON, cls.public_works, "penghubung_pupr")
        cls.pw_operator = factory.make_staff(Role.OPERATOR, cls.public_works, "operator_pupr")
        cls.transport_liaison = factory.make_staff(Role.LIAISON, cls.transport, "penghubung_dishub")
        cls.pw_head = factory.make_staff(Role.AGENCY_HEAD, cls.public_works, "kepala_pupr")
        cls.executive = factory.make_staff(Role.EXECUTIVE, cls.unit, "walikota")
        cls.outsider = factory.make_user("tanpa_sk")  # an account with no appointment

    def login(self, user):
        self.client.force_login(user)

    def make_report(self, **overrides):
        overrides.setdefault("category", self.category)
        overrides.setdefault("region", self.kelurahan)
        return factory.make_report(**overrides)


class TwoGovernmentsBase(AduanTestCase):
    """Kota Blitar (the base personas', the installation's home government) and Kota Kediri
    beside it, with its own complaint unit, agency, category, coordinator and liaison —
    built once per class (setUpTestData only). What tests/test_tenancy.py's
    TwoGovernmentsCase and tests/test_site_name.py's SiteNameCase both start from."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.blitar = Government.objects.get()
        cls.kediri, cls.kediri_unit = factory.make_government("Kota Kediri", prefix="KDR")
        cls.kediri_transport = factory.make_agency("Dinas Perhubungan", government=cls.kediri)
        cls.kediri_category = factory.make_category("Lampu jalan", government=cls.kediri)
        cls.kediri_coordinator = factory.make_staff(Role.COORDINATOR, cls.kediri_unit, "koordinator_kediri")
        cls.kediri_liaison = factory.make_staff(Role.LIAISON, cls.kediri_transport, "penghubung_kediri")


class TwoCoordinatorsCase(AduanTestCase):
    """The inbox as two coordinators share it: ``coordinator`` logged in, ``colleague`` of the
    same complaint unit beside them (ownership, stale pages, bulk actions, saved views)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.colleague = factory.make_staff(Role.COORDINATOR, cls.unit, "koordinator2")

    def setUp(self):
        super().setUp()
        self.login(self.coordinator)
