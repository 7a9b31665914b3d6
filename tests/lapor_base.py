"""What the SP4N-LAPOR! import tests share: the default status mappings, and the test case
with the city's categories and agencies mapped and sample exports written to a temporary
folder (tests/test_lapor_import.py, test_lapor_upsert.py and the other test_lapor_*)."""

from lapor import sample
from lapor.models import AgencyMapping, CategoryMapping, StatusMapping
from tests.base import AduanTestCase


def ensure_default_statuses():
    """The data migration's rows (also when the suite runs without migrations)."""
    from importlib import import_module

    defaults = import_module("lapor.migrations.0002_default_status_mappings").DEFAULTS
    for key, name, status in defaults:
        StatusMapping.objects.get_or_create(key=key, defaults={"lapor_name": name, "status": status})


class LaporImportCase(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        ensure_default_statuses()
        # LAPOR!'s names for the city's categories and agencies, mapped by the administrator.
        CategoryMapping.objects.create(key="id:101", lapor_id="101", lapor_name="Lampu PJU", category=cls.category)
        AgencyMapping.objects.create(
            key="id:9001", lapor_id="9001", lapor_name="Dinas Perhubungan Kota", agency=cls.transport
        )
        AgencyMapping.objects.create(key="id:9002", lapor_id="9002", lapor_name="DPUPR Kota", agency=cls.public_works)

    def xlsx(self, rows, **kwargs):
        return sample.write_xlsx(self.tmp("export.xlsx"), rows, **kwargs)

    def csv(self, rows, name="export.csv", **kwargs):
        return sample.write_csv(self.tmp(name), rows, **kwargs)

    def tmp(self, name):
        import tempfile
        from pathlib import Path

        folder = Path(tempfile.mkdtemp(prefix="lapor-test-"))
        self.addCleanup(lambda: __import__("shutil").rmtree(folder, ignore_errors=True))
        return folder / name
