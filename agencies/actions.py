"""Decrees (SK): issue a drafted decree, start next year's renewal from this year's.

Ending an appointment early and handing over the person's work is in staffing/actions.py
(it touches the agencies' work, which agencies/ does not know about).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, Appointment, Decree, DecreeMember, default_decree_end
from agencies.roles import is_administrator
from core.errors import DomainError, NotAllowed
from governments.models import Government


def start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def end_of_period(day: dt.date) -> dt.datetime:
    """The moment a decree whose last day is ``day`` stops granting access: the next
    midnight, local time (``valid_until`` is exclusive)."""
    return start_of_day(day + dt.timedelta(days=1))


def issue_decree(decree, *, actor) -> list[Appointment]:
    """Issue a drafted decree.

    1. only an administrator; only a draft with a number, a date, a period and at least
       one member;
    2. lock the decree row (two clicks issue it once);
    3. one Appointment per member, valid from the first day (00:00) to the end of the last
       day, carrying the decree's number, date and document;
    4. mark the decree issued (who, when).
    Answers the appointments made.
    """
    if not is_administrator(actor):
        raise NotAllowed()
    with transaction.atomic():
        decree = Decree.objects.select_for_update().get(pk=decree.pk)
        if not decree.is_draft:
            raise DomainError(_("SK %(number)s sudah diterbitkan.") % {"number": decree.number})
        members = list(decree.members.select_related("person", "agency"))
        if not members:
            raise DomainError(_("SK belum memuat satu pun orang yang ditunjuk."))
        if decree.valid_until < decree.valid_from:
            raise DomainError(_("Tanggal akhir berlaku SK harus sesudah tanggal mulainya."))
        inactive = [str(m.agency) for m in members if not m.agency.is_active]
        if inactive:
            raise DomainError(
                _("Perangkat daerah berikut tidak aktif: %(names)s.") % {"names": ", ".join(sorted(set(inactive)))}
            )
        valid_from, valid_until = start_of_day(decree.valid_from), end_of_period(decree.valid_until)
        made = Appointment.objects.bulk_create(
            [
                Appointment(
                    person=member.person,
                    agency=member.agency,
                    role=member.role,
                    decree=decree,
                    decree_number=decree.number,
                    decree_date=decree.date,
                    decree_document=decree.document.name if decree.document else "",
                    valid_from=valid_from,
                    valid_until=valid_until,
                )
                for member in members
            ]
        )
        decree.status, decree.issued_at, decree.issued_by = Decree.Status.ISSUED, timezone.now(), actor
        decree.save(update_fields=["status", "issued_at", "issued_by"])
    return made


def start_renewal(decree, *, actor, number="", date=None) -> Decree:
    """Next period's decree as a draft, from this one's list.

    1. only an administrator; only an issued decree; one draft renewal at a time;
    2. the new period starts the day after this one ends and lasts a year;
    3. the members are those of this decree whose appointment was not ended early (a
       person moved away is not renewed); the administrator edits the list, then issues.
    """
    if not is_administrator(actor):
        raise NotAllowed()
    with transaction.atomic():
        decree = Decree.objects.select_for_update().get(pk=decree.pk)
        if decree.is_draft:
            raise DomainError(_("SK yang masih konsep tidak dapat diperbarui; terbitkan dulu."))
        existing = decree.renewals.filter(status=Decree.Status.DRAFT).first()
        if existing is not None:
            raise DomainError(
                _("Konsep pembaruan SK ini sudah ada: %(number)s.") % {"number": existing.number or existing.pk}
            )
        first_day = decree.valid_until + dt.timedelta(days=1)
        renewal = Decree.objects.create(
            number=number or _("%(number)s (pembaruan)") % {"number": decree.number},
            date=date or timezone.localdate(),
            title=decree.title,
            valid_from=first_day,
            valid_until=default_decree_end(first_day),
            renews=decree,
        )
        ended_early = set(decree.appointments.exclude(end_kind="").values_list("person_id", "agency_id", "role"))
        seen = set()
        members = []
        for member in decree.members.order_by("pk"):
            key = (member.person_id, member.agency_id, member.role)
            if key in ended_early or key in seen:
                continue
            seen.add(key)
            members.append(DecreeMember(decree=renewal, person_id=key[0], agency_id=key[1], role=key[2]))
        DecreeMember.objects.bulk_create(members)
    return renewal


def add_government(*, name, kind, slug, prefix, parent=None, unit_name="", host="") -> tuple[Government, Agency]:
    """A new government of the installation with its complaint unit (the agency whose
    coordinators verify and dispose its reports). The categories are copied by the caller
    (reports' ``Category.objects.copy_to``). Answers the government and its unit.

    1. check the prefix and slug are free (a clear message, not an IntegrityError);
    2. create the government, letterhead from its name;
    3. create its complaint unit."""
    prefix = (prefix or "").strip().upper()
    if kind not in Government.Kind.values:
        raise DomainError(_("Jenis pemerintah daerah tidak dikenal: %(kind)s.") % {"kind": kind})
    if Government.objects.filter(tracking_prefix=prefix).exists():
        raise DomainError(_("Awalan nomor pelacakan %(prefix)s sudah dipakai.") % {"prefix": prefix})
    if Government.objects.filter(slug=slug).exists():
        raise DomainError(_("Slug %(slug)s sudah dipakai.") % {"slug": slug})
    if host and Government.objects.filter(host=host.strip().lower()).exists():
        raise DomainError(_("Nama host %(host)s sudah dipakai.") % {"host": host})
    government = Government(
        name=name,
        slug=slug,
        kind=kind,
        parent=parent,
        tracking_prefix=prefix,
        letterhead_name=name,
        host=(host or "").strip().lower() or None,
    )
    try:
        government.full_clean()
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from error
    with transaction.atomic():
        government.save()
        unit = Agency.objects.create(
            government=government,
            name=unit_name or _("Unit Layanan Pengaduan %(name)s") % {"name": name},
            short_name=_("ULP %(prefix)s") % {"prefix": prefix},
            kind=Agency.Kind.GOVERNMENT,
            is_complaint_unit=True,
        )
    return government, unit
