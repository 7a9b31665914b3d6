"""Regional holidays of the governments from a CSV file (``manage.py import_holidays`` and
the admin's upload on the governments list).

One row per holiday: ``date,name,government`` — the date as 2026-03-19 or 19/03/2026, the
holiday's name, the government's slug. A first row ``date,name,government`` (or
``tanggal,nama,pemerintah``) is a header and skipped. Every row is checked before anything
is stored: one bad row and nothing is, and the error names every bad line. The national
calendar (entries without a government) is never touched; a government's entry already on
that date is updated, so importing the same file twice changes nothing.
"""

import csv
import datetime as dt
import io

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.models import CalendarEntry
from governments.models import Government

HEADERS = (["date", "name", "government"], ["tanggal", "nama", "pemerintah"])
NAME_LENGTH = CalendarEntry._meta.get_field("name").max_length
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")


def _date(text):
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a calendar day, no time)
        except ValueError:
            continue
    return None


def read_rows(text: str) -> list[tuple[dt.date, str, Government]]:
    """(date, name, government) of each row, checked; DomainError naming every bad line."""
    governments = {g.slug: g for g in Government.objects.all()}
    rows, errors, seen = [], [], set()
    for line, cells in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff"))), start=1):
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        if line == 1 and [c.lower() for c in cells[:3]] in HEADERS:
            continue
        if len(cells) != 3:
            errors.append(_("baris %(line)d: tulis tiga kolom, tanggal, nama dan slug pemerintah") % {"line": line})
            continue
        date_text, name, slug = cells
        date = _date(date_text)
        problem = None
        if date is None:
            problem = _("tanggal %(date)s tidak dikenali (tulis 2026-03-19 atau 19/03/2026)") % {"date": date_text}
        elif not name:
            problem = _("nama hari libur kosong")
        elif len(name) > NAME_LENGTH:
            problem = _("nama lebih dari %(n)d karakter") % {"n": NAME_LENGTH}
        elif not slug:
            problem = _("slug pemerintah kosong (hari libur nasional diatur di admin, bukan lewat berkas ini)")
        elif slug not in governments:
            problem = _("pemerintah daerah %(slug)s tidak ada") % {"slug": slug}
        elif (slug, date) in seen:
            problem = _("tanggal %(date)s untuk %(slug)s sudah ada di baris sebelumnya") % {
                "date": date_text,
                "slug": slug,
            }
        if problem:
            errors.append(_("baris %(line)d: %(problem)s") % {"line": line, "problem": problem})
            continue
        seen.add((slug, date))
        rows.append((date, name, governments[slug]))
    if errors:
        raise DomainError(_("Berkas hari libur tidak disimpan: %(errors)s.") % {"errors": "; ".join(errors)})
    if not rows:
        raise DomainError(_("Berkas hari libur kosong: tulis satu baris tanggal,nama,slug per hari libur."))
    return rows


@transaction.atomic
def import_holidays(text: str) -> tuple[int, int]:
    """Store the holidays of the CSV ``text``; answers (added, updated)."""
    added = updated = 0
    for date, name, government in read_rows(text):
        _entry, created = CalendarEntry.objects.update_or_create(
            government=government, date=date, defaults={"name": name, "kind": CalendarEntry.Kind.HOLIDAY}
        )
        added, updated = (added + 1, updated) if created else (added, updated + 1)
    return added, updated
