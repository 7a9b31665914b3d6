from django.core.management.base import BaseCommand, CommandError

from apikeys import actions
from apikeys.models import ApiKey, split_key


class Command(BaseCommand):
    help = "Revoke an API key, named by its prefix (the 8 characters after adk_) or its full text."

    def add_arguments(self, parser):
        parser.add_argument("key")

    def handle(self, *args, key, **options):
        prefix = split_key(key) or key
        api_key = ApiKey.objects.filter(prefix=prefix).first()
        if api_key is None:
            raise CommandError(f"No API key with prefix {prefix!r}.")
        if actions.revoke_key(api_key):
            self.stdout.write(f"Revoked {api_key}.")
        else:
            self.stdout.write(f"{api_key} was already revoked.")
