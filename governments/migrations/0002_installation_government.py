"""An installation made before governments existed serves one government: build it from
the settings that described it (the letterhead's name, the tracking prefix), so the data
migrations that follow give every row to it. A new installation starts with it too."""

import re

from django.conf import settings
from django.db import migrations
from django.utils.text import slugify


def kind_of(name):
    lowered = name.lower()
    if "provinsi" in lowered:
        return "provinsi"
    if "kabupaten" in lowered:
        return "kabupaten"
    return "kota"


def build_installation_government(apps, schema_editor):
    Government = apps.get_model("governments", "Government")
    alias = schema_editor.connection.alias
    if Government.objects.using(alias).exists():
        return
    name = (settings.ADUAN_LETTERHEAD_NAME or "").strip() or "Pemerintah Daerah"
    short = re.sub(r"^pemerintah\s+", "", name, flags=re.IGNORECASE)
    Government.objects.using(alias).create(
        name=name,
        slug=slugify(short)[:60] or "pemda",
        kind=kind_of(name),
        tracking_prefix=settings.ADUAN_TRACKING_PREFIX,
        letterhead_name=name,
        letterhead_unit=settings.ADUAN_LETTERHEAD_UNIT or "",
        letterhead_address=settings.ADUAN_LETTERHEAD_ADDRESS or "",
        # Empty: the logo of ADUAN_LETTERHEAD_LOGO, wherever the installation keeps it.
        letterhead_logo="",
    )


class Migration(migrations.Migration):
    dependencies = [("governments", "0001_government")]

    operations = [migrations.RunPython(build_installation_government, migrations.RunPython.noop)]
