import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from apikeys.models import ApiKeyUse


class Command(BaseCommand):
    help = "Delete API key use log rows older than --days (default 180)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=180)

    def handle(self, *args, days, **options):
        deleted, _rows = ApiKeyUse.objects.filter(at__lt=timezone.now() - dt.timedelta(days=days)).delete()
        self.stdout.write(f"Deleted {deleted} API key use rows older than {days} days.")
