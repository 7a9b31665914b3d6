"""manage.py add_government: a new government of the installation, ready to work.

    manage.py add_government "Kota Kediri" --kind kota --slug kota-kediri --prefix KDR \
        [--parent provinsi-jawa-timur] [--categories-from kota-blitar]

Creates the government, its complaint unit and its categories, copied from the shared
default set: the categories of ``--categories-from`` (by default the installation's first
government). Coordinators are then appointed to the unit by decree, as for any agency.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agencies.actions import add_government
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

    def handle(self, *args, **options):
        parent = self._government(options["parent"]) if options["parent"] else None
        source = self._government(options["categories_from"]) if options["categories_from"] else home_government()
        try:
            with transaction.atomic():
                government, unit = add_government(
                    name=options["name"],
                    kind=options["kind"],
                    slug=options["slug"],
                    prefix=options["prefix"],
                    parent=parent,
                )
                copied = Category.objects.of(source).copy_to(government) if source is not None else 0
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"{government.name}: unit pengaduan “{unit.name}”, {copied} kategori disalin"
            f"{f' dari {source.name}' if source else ''}, nomor pelacakan {government.tracking_prefix}-…"
        )

    def _government(self, slug):
        try:
            return Government.objects.get(slug=slug)
        except Government.DoesNotExist:
            raise CommandError(f"Pemerintah daerah dengan slug {slug!r} tidak ada.") from None
