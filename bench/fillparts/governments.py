"""bench/fill.py's governments: the demo city (loaded once) and, for a province-sized
run, a province and its kabupaten/kota as copies of the city. Imported by fill.py after
Django is set up."""

import io
import sys

from django.core.management import call_command
from django.db import transaction
from django.db.models import F

from agencies.models import Agency, Appointment, Region, Role
from governments.models import Government, home_government
from reports.models import (
    Category,
)


def city():
    """The demo city without reports (loaded once): its coordinator's id."""
    if not Appointment.objects.filter(role=Role.COORDINATOR).exists():
        call_command("load_demo", reports=0, verbosity=0, stdout=io.StringIO())
    # The demo city's (the first government's): the demo also has a province and a second city.
    return (
        Appointment.objects.filter(role=Role.COORDINATOR, agency__government=home_government())
        .order_by("pk")
        .values_list("person_id", flat=True)
        .first()
    )


class Tenant:
    """One government's ids for the fill: its prefix, its categories (child, lead agency)
    and kelurahan (id, latitude, longitude), in a fixed order."""

    def __init__(self, government):
        self.pk = government.pk
        self.prefix = government.tracking_prefix
        self.categories = list(
            Category.objects.filter(government=government, parent__isnull=False, default_agency__isnull=False)
            .order_by("pk")
            .values_list("pk", "default_agency")
        )
        self.kelurahan = list(
            Region.objects.filter(government=government, level=Region.Level.KELURAHAN)
            .order_by("pk")
            .values_list("pk", "latitude", "longitude")
        )


def tenants(n):
    """The demo city first, then (n > 1) a province and n-2 kabupaten/kota made as copies
    of the city's agencies, categories and regions (kept from an earlier fill)."""
    home = home_government()
    governments = [home]
    if n > 1:
        # The demo's province (Jawa Timur) when the city has one, else one made for the bench.
        province = home.parent or _government(
            "prov-bench", "Provinsi Bench", Government.Kind.PROVINCE, "PROVB", None, home
        )
        if home.parent_id != province.pk:
            home.parent = province
            home.save(update_fields=["parent"])
        # The demo's province and second city come with their own catalogues: a government
        # shaped like the city (as many child categories with a lead agency and kelurahan)
        # takes its share, any other none (today's demo: Jawa Timur, a few provincial
        # categories and no kelurahan, and Kota Kediri, which differs too, so 41
        # governments in all for N = 39); the bench kabupaten/kota make up the N that
        # receive reports.
        governments += [
            g
            for g in Government.objects.exclude(pk=home.pk).exclude(slug__startswith="kab-bench-").order_by("pk")
            if (len(Tenant(g).categories), len(Tenant(g).kelurahan))
            == (len(Tenant(home).categories), len(Tenant(home).kelurahan))
        ]
        if province not in governments and not Region.objects.filter(government=province).exists():
            print(f"  {province.name}: its own catalogue, no kelurahan; no reports of the fill", flush=True)
        elif province not in governments:
            governments.append(province)
        for k in range(1, n - len(governments) + 1):
            kind = Government.Kind.CITY if k % 4 == 0 else Government.Kind.REGENCY
            governments.append(
                _government(f"kab-bench-{k:02d}", f"Kabupaten Bench {k:02d}", kind, f"KB{k:02d}", province, home)
            )
    out = [Tenant(g) for g in governments]
    print(f"  reports spread over {len(out)} governments", flush=True)
    sizes = {(len(t.categories), len(t.kelurahan)) for t in out}
    if len(sizes) != 1:
        sys.exit(f"the governments' copies differ in size: {sizes}")
    return out


def _government(slug, name, kind, prefix, parent, home):
    government = Government.objects.filter(slug=slug).first()
    if government is not None:
        return government
    with transaction.atomic():
        government = Government.objects.create(slug=slug, name=name, kind=kind, tracking_prefix=prefix, parent=parent)
        agencies = {}
        for agency in Agency.objects.filter(government=home).order_by(F("parent").asc(nulls_first=True), "pk"):
            agencies[agency.pk] = Agency.objects.create(
                government=government,
                name=agency.name,
                short_name=agency.short_name,
                kind=agency.kind,
                parent=agencies.get(agency.parent_id),
                is_complaint_unit=agency.is_complaint_unit,
            )
        Category.objects.filter(government=home).copy_to(government)
        lead = {
            (c.parent.name, c.name): agencies[c.default_agency_id]
            for c in Category.objects.filter(government=home, default_agency__isnull=False).select_related("parent")
            if c.parent_id
        }
        for copy in Category.objects.filter(government=government, parent__isnull=False).select_related("parent"):
            if (copy.parent.name, copy.name) in lead:
                copy.default_agency = lead[(copy.parent.name, copy.name)]
                copy.save(update_fields=["default_agency"])
        regions = {}
        for region in Region.objects.filter(government=home).order_by(F("parent").asc(nulls_first=True), "pk"):
            regions[region.pk] = Region.objects.create(
                government=government,
                name=region.name,
                level=region.level,
                parent=regions.get(region.parent_id),
                latitude=region.latitude,
                longitude=region.longitude,
            )
    return government
