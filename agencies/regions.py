"""A government's kecamatan and kelurahan from a CSV file (``add_government --regions``).

One row per kelurahan: ``kecamatan,kelurahan`` (a row with the kelurahan empty adds the
kecamatan alone); a first row ``kecamatan,kelurahan`` is a header and skipped. Every row
is checked before anything is stored: a file with one bad row stores nothing and the
error names every bad line.
"""

import csv
import io

from django.db import transaction
from django.utils.translation import gettext as _

from agencies.models import Region
from core.errors import DomainError

NAME_LENGTH = Region._meta.get_field("name").max_length
HEADER = ["kecamatan", "kelurahan"]


def read_rows(text: str) -> list[tuple[str, str]]:
    """(kecamatan, kelurahan) of each row, checked; DomainError naming every bad line."""
    rows, errors, seen = [], [], set()
    for line, cells in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff"))), start=1):
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        if line == 1 and [c.lower() for c in cells[:2]] == HEADER:
            continue
        if len(cells) > 2 and any(cells[2:]):
            errors.append(_("baris %(line)d: tulis dua kolom, kecamatan dan kelurahan") % {"line": line})
            continue
        kecamatan, kelurahan = (cells + [""])[:2]
        if not kecamatan:
            errors.append(_("baris %(line)d: nama kecamatan kosong") % {"line": line})
            continue
        if len(kecamatan) > NAME_LENGTH or len(kelurahan) > NAME_LENGTH:
            errors.append(_("baris %(line)d: nama lebih dari %(n)d karakter") % {"line": line, "n": NAME_LENGTH})
            continue
        key = (kecamatan.lower(), kelurahan.lower())
        if kelurahan and key in seen:
            errors.append(
                _("baris %(line)d: kelurahan %(name)s sudah ada di kecamatan %(kecamatan)s")
                % {"line": line, "name": kelurahan, "kecamatan": kecamatan}
            )
            continue
        seen.add(key)
        rows.append((kecamatan, kelurahan))
    if errors:
        raise DomainError(_("Berkas wilayah tidak disimpan: %(errors)s.") % {"errors": "; ".join(errors)})
    if not rows:
        raise DomainError(_("Berkas wilayah kosong: tulis satu baris kecamatan,kelurahan per kelurahan."))
    return rows


@transaction.atomic
def add_regions(government, rows) -> tuple[int, int]:
    """Create the kecamatan and kelurahan of ``rows`` in ``government`` (those it already
    has are kept, not doubled). Answers (new kecamatan, new kelurahan)."""
    kecamatan = {r.name.lower(): r for r in Region.objects.filter(government=government, level=Region.Level.KECAMATAN)}
    existing = set(
        Region.objects.filter(government=government, level=Region.Level.KELURAHAN).values_list("parent_id", "name")
    )
    existing = {(parent, name.lower()) for parent, name in existing}
    new_kecamatan = new_kelurahan = 0
    for kecamatan_name, kelurahan_name in rows:
        parent = kecamatan.get(kecamatan_name.lower())
        if parent is None:
            parent = kecamatan[kecamatan_name.lower()] = Region.objects.create(
                government=government, name=kecamatan_name, level=Region.Level.KECAMATAN
            )
            new_kecamatan += 1
        if kelurahan_name and (parent.pk, kelurahan_name.lower()) not in existing:
            Region.objects.create(
                government=government, name=kelurahan_name, level=Region.Level.KELURAHAN, parent=parent
            )
            existing.add((parent.pk, kelurahan_name.lower()))
            new_kelurahan += 1
    return new_kecamatan, new_kelurahan
