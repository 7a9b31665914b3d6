"""Give each category named in the built-in lexicon (triage/keywords.py) a keyword rule,
leaving rules the administrator already has untouched."""

from django.core.management.base import BaseCommand

from reports.models import Category
from triage.keywords import DEFAULT_KEYWORDS
from triage.models import KeywordRule


class Command(BaseCommand):
    help = "Buat aturan kata kunci bawaan untuk kategori yang namanya dikenal."

    def handle(self, *args, **options):
        made = 0
        for category in Category.objects.filter(parent__isnull=False, name__in=list(DEFAULT_KEYWORDS)):
            _, created = KeywordRule.objects.get_or_create(
                category=category, defaults={"keywords": DEFAULT_KEYWORDS[category.name]}
            )
            made += created
        self.stdout.write(f"{made} aturan kata kunci dibuat.")
