"""A first SP4N-LAPOR! import maps nothing: the unmapped-values page proposes mappings (by
name, abbreviation or the reports' texts), the coordinator accepts them in one click, and
the reports already imported get their category and disposition."""

from django.test import override_settings
from django.urls import reverse

from core import queues
from core.errors import DomainError, NotAllowed
from lapor import actions, proposals, sample
from lapor import columns as c
from lapor.importer import run_import
from lapor.models import AgencyMapping, CategoryMapping, LaporRecord
from open311.presenters import as_request, public_requests
from reports import access
from reports import actions as report_actions
from reports.models import ReportEvent, Status
from tests.base import AduanTestCase
from tests.lapor_base import ensure_default_statuses

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": queues.ALL}}
PARKING = "Ada jukir liar minta uang parkir Rp5.000 di depan toko."


def open311(report) -> dict:
    """The report as Open311's GET requests lists it."""
    return as_request(public_requests().get(pk=report.pk))


class MappingCase(AduanTestCase):
    """A city whose LAPOR! values are spelled otherwise than in Aduan, and nothing mapped."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        ensure_default_statuses()
        from triage.models import KeywordRule

        KeywordRule.objects.create(category=cls.other_category, keywords="parkir, jukir")

    def import_first_file(self):
        rows = [
            sample.row(
                5001,
                **{c.AGENCY_ID: "11", c.AGENCY: "Dinas PUPR", c.CATEGORY_ID: "201", c.CATEGORY: "Lampu PJU"},
                **{c.STATUS: "Terdisposisi ke Dinas PUPR"},
            ),
            sample.row(
                5002,
                **{c.AGENCY_ID: "12", c.AGENCY: "D.P.U.P.R", c.CATEGORY_ID: "202", c.CATEGORY: "Juru Parkir Nakal"},
                **{c.STATUS: "Ditindaklanjuti oleh Instansi", c.TEXT_FINAL: PARKING, c.TITLE: "Jukir liar"},
            ),
            sample.row(
                5003,
                **{c.AGENCY_ID: "13", c.AGENCY: "Dinas Pekerjaan Umum dan Penataan Ruang Kota Blitar"},
                **{
                    c.CATEGORY_ID: "202",
                    c.CATEGORY: "Juru Parkir Nakal",
                    c.STATUS: "Terverifikasi",
                    c.TITLE: "Jukir liar",
                },
                **{c.TEXT_FINAL: "Jukir liar di alun-alun, parkir sembarangan."},
            ),
            sample.row(
                5004,
                **{c.AGENCY_ID: "14", c.AGENCY: "Dishub Kota Blitar", c.CATEGORY_ID: "203"},
                **{
                    c.CATEGORY: "Pohon Tumbang",
                    c.STATUS: "Terdisposisi ke Dishub",
                    c.TEXT_FINAL: "Pohon roboh.",
                    c.TITLE: "Pohon",
                },
            ),
            sample.row(
                5005,
                **{c.AGENCY_ID: "15", c.AGENCY: "Badan Pendapatan Daerah", c.STATUS: "Terdisposisi ke Bapenda"},
            ),
        ]
        import tempfile
        from pathlib import Path

        folder = Path(tempfile.mkdtemp(prefix="lapor-test-"))
        self.addCleanup(lambda: __import__("shutil").rmtree(folder, ignore_errors=True))
        run_import(sample.write_csv(folder / "first.csv", rows), dry_run=False)
        return {tid: LaporRecord.objects.get(tracking_id=tid).report for tid in ("5001", "5002", "5003", "5004")}

    def page(self):
        self.login(self.coordinator)
        return self.client.get(reverse("lapor:mappings"))

    def accept_as_proposed(self, page, **changes):
        """The form as the page offers it (proposals ticked), with ``changes``."""
        data = {}
        for _proposal, target, take in page.context["form"].rows:
            data[target.name] = target.initial or ""
            if take.initial:
                data[take.name] = "on"
        data.update(changes)
        return self.client.post(reverse("lapor:mappings"), {k: v for k, v in data.items() if v is not None})

    def field(self, page, lapor_name, part):
        for proposal, target, take in page.context["form"].rows:
            if proposal.mapping.lapor_name == lapor_name:
                return (target if part == "target" else take).name
        raise AssertionError(lapor_name)


class ProposalTests(MappingCase):
    def test_one_agency_by_any_of_its_names_and_abbreviations(self):
        names = [
            "Dinas PUPR",
            "DPUPR",
            "Dinas Pekerjaan Umum dan Penataan Ruang",
            "DINAS PEKERJAAN UMUM DAN PENATAAN RUANG KOTA BLITAR",
            "Dinas P.U. dan Penataan Ruang",
        ]
        mappings = [AgencyMapping(key=f"name:{n}", lapor_name=n) for n in names]
        found = {p.mapping.lapor_name: p.target_id for p in proposals.agency_proposals(mappings)}
        self.assertEqual(found, dict.fromkeys(names, self.public_works.pk))
        others = ["Dishub Kota Blitar", "Dinas Perhubungn", "ULP", "Badan Pendapatan Daerah"]
        found = {
            p.mapping.lapor_name: (p.target_id, p.reason)
            for p in proposals.agency_proposals([AgencyMapping(lapor_name=n) for n in others])
        }
        self.assertEqual(found["Dishub Kota Blitar"], (self.transport.pk, "Singkatan."))
        self.assertEqual(found["Dinas Perhubungn"], (self.transport.pk, "Nama mirip."))
        self.assertEqual(found["ULP"], (self.unit.pk, "Singkatan."))
        self.assertEqual(found["Badan Pendapatan Daerah"], (None, "Tidak ada usulan; pilih sendiri."))

    def test_two_equally_good_matches_give_no_proposal_but_name_the_candidates(self):
        from tests import factory

        factory.make_agency("Badan Pekerjaan Umum dan Penataan Ruang", short_name="BPUPR")
        (proposal,) = proposals.agency_proposals([AgencyMapping(lapor_name="Pekerjaan Umum dan Penataan Ruang")])
        self.assertIsNone(proposal.target_id)
        self.assertIn("DPUPR", proposal.reason)
        self.assertIn("BPUPR", proposal.reason)

    def test_categories_by_name_abbreviation_and_the_reports_texts(self):
        self.import_first_file()
        found = {
            p.mapping.lapor_name: (p.target_id, p.reason)
            for p in proposals.category_proposals(list(CategoryMapping.objects.unmapped()))
        }
        self.assertEqual(found["Lampu PJU"], (self.category.pk, "Singkatan."))
        # No name matches; triage's classifier (keyword rules: no model trained) reads both texts as parking.
        self.assertEqual(found["Juru Parkir Nakal"], (self.other_category.pk, "Isi laporan: 2 dari 2 laporan contoh."))
        self.assertEqual(found["Pohon Tumbang"][0], None)

    def test_a_category_whose_words_are_all_in_one_name(self):
        from tests import factory

        juru = factory.make_category("Juru parkir liar tanpa karcis", parent=self.other_category.parent)
        values = ["Karcis Parkir", "Karcis"]
        found = {
            p.mapping.lapor_name: (p.target_id, p.reason)
            for p in proposals.category_proposals([CategoryMapping(lapor_name=v) for v in values])
        }
        self.assertEqual(found["Karcis Parkir"], (juru.pk, "Kata-katanya ada dalam nama ini."))
        self.assertEqual(found["Karcis"][0], None)  # one word is not enough


class AcceptTests(MappingCase):
    @override_settings(TASKS=IMMEDIATE)
    def test_accepting_the_proposals_fills_the_imported_reports_category_and_disposition(self):
        reports = self.import_first_file()
        # The first import: no category, no disposition, nothing for the agency, no service code.
        for report in reports.values():
            self.assertIsNone(report.category)
            self.assertFalse(report.dispositions.exists())
        self.assertFalse(access.reports_visible_to(self.pw_liaison).filter(pk=reports["5001"].pk).exists())
        self.assertEqual(open311(reports["5001"])["service_code"], "")
        synced = ReportEvent.objects.filter(action="lapor_synced").count()

        page = self.page()
        self.assertContains(page, "Juru Parkir Nakal")
        self.assertContains(page, "Isi laporan: 2 dari 2 laporan contoh.")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.accept_as_proposed(page)
        self.assertRedirects(response, reverse("lapor:mappings"))
        mapped = dict(AgencyMapping.objects.exclude(agency=None).values_list("lapor_name", "agency"))
        self.assertEqual(
            mapped,
            {
                "Dinas PUPR": self.public_works.pk,
                "D.P.U.P.R": self.public_works.pk,
                "Dinas Pekerjaan Umum dan Penataan Ruang Kota Blitar": self.public_works.pk,
                "Dishub Kota Blitar": self.transport.pk,
            },
        )
        self.assertEqual(AgencyMapping.objects.get(lapor_name="D.P.U.P.R").mapped_by, self.coordinator)
        self.assertEqual(AgencyMapping.objects.unmapped().get().lapor_name, "Badan Pendapatan Daerah")
        self.assertEqual(CategoryMapping.objects.unmapped().get().lapor_name, "Pohon Tumbang")

        for report in reports.values():
            report.refresh_from_db()
        first, parking, verified, tree = reports.values()
        self.assertEqual(first.category, self.category)
        lead = first.dispositions.get(is_active=True)
        self.assertEqual((lead.agency, lead.state, first.status), (self.public_works, "pending", Status.DISPOSED))
        self.assertEqual(
            list(first.events.order_by("pk").values_list("action", flat=True))[-2:], ["lapor_updated", "lapor_disposed"]
        )
        self.assertEqual(parking.category, self.other_category)
        self.assertEqual(parking.dispositions.get(is_active=True).state, "accepted")
        # Verified in LAPOR!: a category, and no disposition (it is with no agency yet).
        self.assertEqual((verified.category, verified.dispositions.exists()), (self.other_category, False))
        self.assertEqual((tree.category, tree.dispositions.get().agency), (None, self.transport))
        # The agency now sees its reports; Open311 lists the service code; no status moved.
        visible = access.reports_visible_to(self.pw_liaison)
        self.assertEqual(set(visible.values_list("pk", flat=True)), {first.pk, parking.pk})
        self.assertEqual(open311(first)["service_code"], str(self.category.pk))
        self.assertEqual(ReportEvent.objects.filter(action="lapor_synced").count(), synced)
        # Filling again finds nothing to do; importing the first file again changes nothing.
        self.assertEqual(actions.fill_from_mappings(), 0)

    @override_settings(TASKS=IMMEDIATE)
    def test_filling_never_overwrites_what_was_decided_in_aduan(self):
        """Each report misses one thing and got the other in Aduan before anyone mapped."""
        reports = self.import_first_file()
        # Disposed in LAPOR! to "Dinas PUPR", no disposition here: classified as parking in Aduan.
        classified = reports["5001"]
        report_actions.classify_report(classified, actor=self.coordinator, category=self.other_category)
        # Verified in LAPOR! (its agency maps to DPUPR): disposed to Dishub in Aduan, no category.
        disposed = reports["5003"]
        report_actions.dispose_report(disposed, actor=self.coordinator, lead_agency=self.transport)
        with self.captureOnCommitCallbacks(execute=True):
            self.accept_as_proposed(self.page())
        classified.refresh_from_db()
        disposed.refresh_from_db()
        # What was missing is filled; what Aduan decided stays.
        self.assertEqual(classified.category, self.other_category)
        self.assertEqual(classified.dispositions.get(is_active=True).agency, self.public_works)
        self.assertEqual(disposed.category, self.other_category)
        self.assertEqual([d.agency for d in disposed.dispositions.filter(is_active=True)], [self.transport])

    @override_settings(TASKS=IMMEDIATE)
    def test_a_value_mapped_in_the_admin_is_filled_in_with_one_click(self):
        reports = self.import_first_file()
        AgencyMapping.objects.filter(lapor_name="Badan Pendapatan Daerah").update(agency=self.transport)
        self.login(self.coordinator)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("lapor:mappings_fill"))
        self.assertRedirects(response, reverse("lapor:mappings"))
        bapenda = LaporRecord.objects.get(tracking_id="5005").report
        self.assertEqual(bapenda.dispositions.get(is_active=True).agency, self.transport)
        self.assertFalse(reports["5001"].dispositions.exists())  # not mapped yet: left alone


class BadInputTests(MappingCase):
    def test_a_ticked_value_without_a_target_stores_nothing_and_says_why(self):
        self.import_first_file()
        page = self.page()
        field = self.field(page, "Badan Pendapatan Daerah", "take")
        response = self.accept_as_proposed(page, **{field: "on"})
        self.assertContains(response, "Pilih tujuan untuk “Badan Pendapatan Daerah”", status_code=400)
        # The other ticked proposals are not stored either.
        self.assertEqual(AgencyMapping.objects.exclude(agency=None).count(), 0)
        self.assertFalse(CategoryMapping.objects.exclude(mapped_by=None).exists())
        self.client.cookies["django_language"] = "en"
        response = self.accept_as_proposed(page, **{field: "on"})
        self.assertContains(response, "Choose a target for “Badan Pendapatan Daerah”", status_code=400)
        self.assertContains(response, "No proposal; choose one yourself.", status_code=400)

    def test_a_target_that_is_not_offered_is_refused(self):
        self.import_first_file()
        self.unit.is_active = False
        self.unit.save(update_fields=["is_active"])
        page = self.page()
        field = self.field(page, "D.P.U.P.R", "target")
        response = self.accept_as_proposed(page, **{field: str(self.unit.pk)})
        self.assertContains(response, "Pilihan ini tidak ada lagi", status_code=400)
        self.assertEqual(AgencyMapping.objects.exclude(agency=None).count(), 0)

    def test_nothing_ticked(self):
        self.import_first_file()
        self.login(self.coordinator)
        response = self.client.post(reverse("lapor:mappings"), {})
        self.assertContains(response, "Centang minimal satu nilai", status_code=400)

    def test_a_value_someone_mapped_meanwhile_keeps_it_and_nothing_else_is_stored(self):
        self.import_first_file()
        first, second = AgencyMapping.objects.filter(lapor_name__in=["D.P.U.P.R", "Dinas PUPR"]).order_by("lapor_name")
        AgencyMapping.objects.filter(pk=second.pk).update(agency=self.transport)
        choices = [("agency", first.pk, self.public_works.pk), ("agency", second.pk, self.public_works.pk)]
        with self.assertRaisesMessage(DomainError, "sudah dipetakan orang lain"):
            actions.accept_mappings(actor=self.coordinator, choices=choices)
        first.refresh_from_db()
        second.refresh_from_db()
        self.assertEqual((first.agency, second.agency), (None, self.transport))

    def test_only_coordinators_map(self):
        self.import_first_file()
        for user in (self.pw_liaison, self.executive):
            self.login(user)
            self.assertEqual(self.client.get(reverse("lapor:mappings")).status_code, 403)
            self.assertEqual(self.client.post(reverse("lapor:mappings_fill")).status_code, 403)
        mapping = AgencyMapping.objects.get(lapor_name="D.P.U.P.R")
        with self.assertRaises(NotAllowed):
            actions.accept_mappings(actor=self.pw_liaison, choices=[("agency", mapping.pk, self.public_works.pk)])


class PageQueryTests(MappingCase):
    def test_the_page_costs_the_same_queries_however_many_reports_were_imported(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from triage.actions import forget_keyword_rules

        def import_rows(start, count):
            import tempfile
            from pathlib import Path

            rows = [
                sample.row(
                    start + i,
                    **{
                        c.CATEGORY_ID: "202",
                        c.CATEGORY: "Juru Parkir Nakal",
                        c.TEXT_FINAL: PARKING,
                        c.TITLE: "Jukir liar",
                    },
                    **{c.AGENCY_ID: "12", c.AGENCY: "D.P.U.P.R"},
                )
                for i in range(count)
            ]
            folder = Path(tempfile.mkdtemp(prefix="lapor-test-"))
            self.addCleanup(lambda: __import__("shutil").rmtree(folder, ignore_errors=True))
            run_import(sample.write_csv(folder / "rows.csv", rows), dry_run=False)

        def queries():
            forget_keyword_rules()  # triage reads its rules at most every 15 s: both reads read them
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.client.get(reverse("lapor:mappings")).status_code, 200)
            return len(captured)

        self.login(self.coordinator)
        import_rows(6000, proposals.TEXT_SAMPLE + 2)
        queries()  # the caches warm (the home government's id: the page's name)
        few = queries()
        import_rows(7000, 30)
        self.assertEqual(queries(), few)
