"""manage.py add_government: a new government of the installation, ready to work.

    manage.py add_government "Kota Kediri" --kind kota --slug kota-kediri --prefix KDR \
        [--parent provinsi-jawa-timur] [--categories-from kota-blitar] [--regions wilayah.csv] \
        [--host lapor.kedirikota.go.id]

Creates the government, its complaint unit and its categories, copied from the shared
default set: the categories of ``--categories-from`` (by default the installation's first
government), and, with ``--regions``, its kecamatan and kelurahan from a CSV file of
``kecamatan,kelurahan`` rows (agencies/regions.py). The file is read and checked first:
a bad row stores nothing, neither the government nor any region. Coordinators are then
appointed to the unit by decree, as for any agency.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.actions import add_government
from agencies.regions import add_regions, read_rows
from core.errors import DomainError
from governments.models import Government, home_government
from reports.models import Category


class Command(BaseCommand):
    help = "Tambah pemerintah daerah (provinsi/kabupaten/kota) dengan unit pengaduan dan kategori bawaannya."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--kind", required=True, choices=Government.Kind.values)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--prefix", required=True)
        parser.add_argument("--parent", default="", help="slug of the province")
        parser.add_argument("--categories-from", default="", help="slug of the government whose categories to copy")
        parser.add_argument("--regions", default="", help="CSV file of kecamatan,kelurahan rows (UTF-8)")
        parser.add_argument("--host", default="", help="the portal's own host name, e.g. lapor.kedirikota.go.id")

    def handle(self, *args, **options):
        parent = self._government(options["parent"]) if options["parent"] else None
        source = self._government(options["categories_from"]) if options["categories_from"] else home_government()
        try:
            regions = read_rows(self._read(options["regions"])) if options["regions"] else []
            with transaction.atomic():
                government, unit = add_government(
                    name=options["name"],
                    kind=options["kind"],
                    slug=options["slug"],
                    prefix=options["prefix"],
                    parent=parent,
                    host=options["host"],
                )
                copied = Category.objects.of(source).copy_to(government) if source is not None else 0
                kecamatan, kelurahan = add_regions(government, regions) if regions else (0, 0)
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"{government.name}: unit pengaduan “{unit.name}”, {copied} kategori disalin"
            f"{f' dari {source.name}' if source else ''}, nomor pelacakan {government.tracking_prefix}-…"
        )
        if regions:
            self.stdout.write(
                _("Wilayah: %(kecamatan)d kecamatan, %(kelurahan)d kelurahan.")
                % {"kecamatan": kecamatan, "kelurahan": kelurahan}
            )

    def _read(self, path):
        try:
            with open(path, encoding="utf-8") as handle:
                return handle.read()
        except OSError as error:
            raise CommandError(
                _("Berkas %(path)s tidak dapat dibaca: %(error)s") % {"path": path, "error": error.strerror}
            ) from None
        except UnicodeDecodeError:
            raise CommandError(_("Berkas %(path)s bukan teks UTF-8.") % {"path": path}) from None

    def _government(self, slug):
        try:
            return Government.objects.get(slug=slug)
        except Government.DoesNotExist:
            raise CommandError(f"Pemerintah daerah dengan slug {slug!r} tidak ada.") from None
