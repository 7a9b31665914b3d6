"""The long choice lists the staff pages draw on every request (every category, agency,
kecamatan and kelurahan), kept in the process and read again only when one of their
tables changed: the inbox and the report page read them from memory instead of four or
five queries and a few hundred model instances per page (issue 21).

A field says which list it shows (``ListedModelChoiceField(list_name=…)``); the rows are
kept per process under a version held in the shared cache (Redis in production, so every
gunicorn worker sees it). ``changed`` — connected to those tables' save and delete signals
(workspace/apps.py) — gives the version a new value at once and again after the commit,
so no worker keeps a list read before the commit under the new version. Changes that send
no signal (``QuerySet.update``, ``bulk_create``, SQL) are seen after ``KEEP_SECONDS`` at
most. Only what a select shows is kept: a submitted value is still checked against the
database (``ModelChoiceField.to_python``).
"""

import time
import uuid

from django import forms
from django.core.cache import cache
from django.db import transaction
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue

VERSION_KEY = "choice-lists:version"
KEEP_SECONDS = 300

# list name → (version, monotonic deadline, rows); one process's memory.
_kept = {}


def version():
    """The lists' version now (a new one when the cache lost it)."""
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        current = cache.get(VERSION_KEY)
    return current


def changed(sender=None, using=None, **kwargs):
    """A list's table changed (a signal receiver): every process reads its lists again."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, None), using=using)


def rows(name, read):
    """The rows of list ``name``: kept ones while the version holds, else ``read()``."""
    now, current = time.monotonic(), version()
    kept = _kept.get(name)
    if kept is not None and kept[0] == current and kept[1] > now:
        return kept[2]
    result = read()
    _kept[name] = (current, now + KEEP_SECONDS, result)
    return result


def forget():
    """Drop this process's lists (the tests start each one without them)."""
    _kept.clear()


class _ListedIterator(ModelChoiceIterator):
    """The field's choices from its kept rows: ``(pk, label)``, or under ``<optgroup>``s
    when the field groups them (``group_from_instance``)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        listed = self.field.listed_rows()
        if not self.field.grouped:
            for pk, label, _group in listed:
                yield (ModelChoiceIteratorValue(pk, None), label)
            return
        groups: dict = {}
        for pk, label, group in listed:
            groups.setdefault(group, []).append((ModelChoiceIteratorValue(pk, None), label))
        yield from groups.items()

    def __len__(self):
        return len(self.field.listed_rows()) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.listed_rows())


class ListedChoicesMixin:
    """For a ModelChoiceField (or a multiple one) whose queryset is one of the kept lists.
    ``list_name`` names it (one name per queryset and label); a view that narrows the
    field's queryset sets ``list_name = None`` first, and the field reads its queryset."""

    iterator = _ListedIterator
    grouped = False

    def __init__(self, *args, list_name, **kwargs):
        self.list_name = list_name
        super().__init__(*args, **kwargs)

    def group_from_instance(self, obj):
        return None

    def listed_rows(self):
        def read():
            return [(obj.pk, self.label_from_instance(obj), self.group_from_instance(obj)) for obj in self.queryset]

        return rows(self.list_name, read) if self.list_name else read()


class ListedModelChoiceField(ListedChoicesMixin, forms.ModelChoiceField):
    pass


class ListedModelMultipleChoiceField(ListedChoicesMixin, forms.ModelMultipleChoiceField):
    pass
