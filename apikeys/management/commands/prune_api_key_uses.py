from django.core.management.base import BaseCommand

from apikeys import actions


class Command(BaseCommand):
    help = "Delete API key use log rows older than --days (default 180)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=actions.USE_LOG_DAYS)

    def handle(self, *args, days, **options):
        deleted = actions.prune_uses(days=days)
        self.stdout.write(f"Deleted {deleted} API key use rows older than {days} days.")
