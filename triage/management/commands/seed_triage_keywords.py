"""Give each category named in the built-in lexicon (triage/keywords.py) a keyword rule,
leaving rules the administrator already has untouched."""

from django.core.management.base import BaseCommand

from triage.actions import seed_keyword_rules


class Command(BaseCommand):
    help = "Buat aturan kata kunci bawaan untuk kategori yang namanya dikenal."

    def handle(self, *args, **options):
        made = seed_keyword_rules()
        self.stdout.write(f"{made} aturan kata kunci dibuat.")
