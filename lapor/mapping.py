"""Look-ups from LAPOR! values to Aduan's statuses, categories and agencies.

The tables are read once per import into memory. A value without a mapping row, or whose
row has no target yet, is *unknown*: it is counted, reported, and (outside a dry run)
queued as a mapping row without a target for the administrator to fill in. A category or
agency whose LAPOR! name equals an Aduan name is mapped at once.
"""

import re
from collections import Counter

from django.db.models import F
from django.utils import timezone

from agencies.models import Agency
from lapor.models import AgencyMapping, CategoryMapping, StatusMapping
from reports.models import Category

_DISPOSED_TO = re.compile(r"^terdisposisi ke\s+", re.IGNORECASE)


def status_key(value) -> str:
    """``Terdisposisi ke <instansi>`` is one status whatever the agency named after it."""
    text = " ".join(str(value or "").split())
    if _DISPOSED_TO.match(text):
        return "terdisposisi ke *"
    return text.casefold()


def status_label(value) -> str:
    text = " ".join(str(value or "").split())
    return "Terdisposisi ke …" if _DISPOSED_TO.match(text) else text


def _name(value) -> str:
    return " ".join(str(value or "").split()).casefold()


class Mappings:
    """In-memory view of the three tables, plus the values met during this import."""

    def __init__(self):
        self.statuses = {m.key: m.status for m in StatusMapping.objects.all()}
        self.category = {m.key: m.category_id for m in CategoryMapping.objects.all()}
        self.agency = {m.key: m.agency_id for m in AgencyMapping.objects.all()}
        self.categories_by_name = {}
        for category in Category.objects.filter(is_active=True).select_related("parent"):
            self.categories_by_name.setdefault(_name(category.name), category.pk)
            self.categories_by_name.setdefault(_name(str(category)), category.pk)
        self.agencies_by_name = {}
        for agency in Agency.objects.filter(is_active=True):
            self.agencies_by_name.setdefault(_name(agency.name), agency.pk)
            if agency.short_name:
                self.agencies_by_name.setdefault(_name(agency.short_name), agency.pk)
        # kind -> key -> (lapor_id, lapor_name); counts of rows per key
        self.seen = {"status": {}, "category": {}, "agency": {}}
        self.counts = {"status": Counter(), "category": Counter(), "agency": Counter()}
        self.unknown = {"status": Counter(), "category": Counter(), "agency": Counter()}
        self.auto = {"category": {}, "agency": {}}  # key -> name match (or None), not yet stored

    def _see(self, kind, key, lapor_id, lapor_name):
        self.seen[kind].setdefault(key, (lapor_id, lapor_name))
        self.counts[kind][key] += 1

    def resolve_status(self, value):
        key = status_key(value)
        self._see("status", key, "", status_label(value))
        target = self.statuses.get(key)
        if target is None:
            self.unknown["status"][status_label(value)] += 1
        return target

    def resolve_category(self, key, lapor_id, lapor_name):
        if not key:
            return None
        self._see("category", key, lapor_id, lapor_name)
        if key in self.category and self.category[key] is not None:
            return self.category[key]
        if key not in self.category:
            # Matched by name once per key: the key's first spelling decides for the import.
            auto = self.auto["category"]
            if key not in auto:
                auto[key] = self.categories_by_name.get(_name(lapor_name))
            if auto[key] is not None:
                return auto[key]
        self.unknown["category"][lapor_name or lapor_id] += 1
        return None

    def resolve_agency(self, key, lapor_id, lapor_name):
        if not key:
            return None
        self._see("agency", key, lapor_id, lapor_name)
        if key in self.agency and self.agency[key] is not None:
            return self.agency[key]
        if key not in self.agency:
            # Matched by name once per key: the key's first spelling decides for the import.
            auto = self.auto["agency"]
            if key not in auto:
                auto[key] = self.agencies_by_name.get(_name(lapor_name))
            if auto[key] is not None:
                return auto[key]
        self.unknown["agency"][lapor_name or lapor_id] += 1
        return None

    def store_seen(self):
        """Queue new values and count every value seen since the last call (inside the
        batch's transaction, so a rolled-back batch counts nothing)."""
        now = timezone.now()
        models = {"status": (StatusMapping, "status"), "category": (CategoryMapping, "category_id"),
                  "agency": (AgencyMapping, "agency_id")}  # fmt: skip
        tables = {"status": self.statuses, "category": self.category, "agency": self.agency}
        for kind, (model, target) in models.items():
            table = tables[kind]
            for key, count in self.counts[kind].items():
                lapor_id, lapor_name = self.seen[kind][key]
                if key not in table:
                    auto = self.auto.get(kind, {}).get(key)
                    model.objects.get_or_create(
                        key=key,
                        defaults={
                            "lapor_id": lapor_id,
                            "lapor_name": (lapor_name or lapor_id)[:300],
                            target: auto,
                            "first_seen_at": now,
                        },
                    )
                    table[key] = auto
                model.objects.filter(key=key).update(seen_count=F("seen_count") + count, last_seen_at=now)
            self.counts[kind].clear()

    def forget_batch(self):
        for counter in self.counts.values():
            counter.clear()
