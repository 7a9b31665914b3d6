from django.core.management.base import BaseCommand, CommandError

from apikeys import actions
from apikeys.scopes import SCOPES
from core.errors import DomainError


class Command(BaseCommand):
    help = "Issue an API key for a third-party app and print it once (only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="the app's name")
        parser.add_argument("--organisation", required=True, help="who owns the app")
        parser.add_argument("--email", default="", help="the owner's contact email")
        parser.add_argument(
            "--scope", action="append", dest="scopes", help=f"repeatable; default all: {', '.join(SCOPES)}"
        )
        parser.add_argument("--rate-limit", type=int, default=None, help="requests per minute (default: setting)")

    def handle(self, *args, **options):
        try:
            api_key, key = actions.issue_key(
                name=options["name"],
                organisation=options["organisation"],
                contact_email=options["email"],
                scopes=options["scopes"],
                rate_limit_per_minute=options["rate_limit"],
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stderr.write(f"Issued {api_key}. The key is shown once; store it now:")
        self.stdout.write(key)
