from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from intake import email


class Command(BaseCommand):
    help = _("Membaca kotak masuk email pengaduan (IMAP) sekali dan memproses pesan yang menunggu.")

    def handle(self, *args, **options):
        if not settings.ADUAN_IMAP_HOST:
            raise CommandError(_("Kanal email tidak aktif: ADUAN_IMAP_HOST belum diisi."))
        moved = email.poll()
        self.stdout.write(_("%(n)d pesan email diproses.") % {"n": moved})
