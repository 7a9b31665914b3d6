"""A base test case with the personas every test talks about."""

from django.test import TestCase

from agencies.models import Role
from tests import factory


class AduanTestCase(TestCase):
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
