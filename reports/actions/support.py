"""A resident adds their voice to a public report: "Saya juga mengalami ini"."""

import hashlib
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core import phones
from core.errors import DomainError
from reports.actions.events import _lock
from reports.models import Report, Status, Support

# A closed report is finished; "me too" on it would count for nothing. A resident whose
# problem is back makes a new report.
SUPPORTABLE = [Status.VERIFIED, Status.DISPOSED, Status.IN_PROGRESS, Status.RESOLVED, Status.OBJECTION]


@dataclass(frozen=True)
class SupportOutcome:
    support: Support
    created: bool


def device_hash(token: str) -> str:
    """What is stored of the device cookie: its sha256, so the table alone cannot be used
    to count as someone else's device."""
    return hashlib.sha256(token.encode()).hexdigest()


def support_report(report, *, device: str, email: str = "", phone: str = "", language: str = "id") -> SupportOutcome:
    """Count one resident's support of ``report``, once per device and once per contact.

    1. lock the report; refuse one the public may not see, or one already closed;
    2. find an earlier support of the same device, email or phone: a second click counts
       nothing, but a contact left the second time is added to the first;
    3. otherwise store the support;
    4. recount ``support_count`` from the rows (never drifts from them) with update_fields.

    ``device`` is the device cookie's value (hashed here). No ReportEvent: a support
    changes no state and names nobody; its row is its record."""
    email = (email or "").strip().lower()
    phone = (phone or "").strip()
    e164 = phones.e164_or_blank(phone)
    if not device:
        raise DomainError(_("Perangkat Anda tidak dapat dikenali. Aktifkan cookie lalu coba lagi."))
    with transaction.atomic():
        report = _lock(report)
        if not Report.objects.public().filter(pk=report.pk).exists():
            raise DomainError(_("Laporan ini tidak dapat didukung."))
        if report.status not in SUPPORTABLE:
            raise DomainError(_("Laporan ini sudah ditutup. Jika masalahnya muncul lagi, buat laporan baru."))
        same = Q(device=device_hash(device))
        if email:
            same |= Q(email=email)
        if e164:
            same |= Q(phone_e164=e164)
        earlier = report.supports.filter(same).first()
        if earlier is not None:
            _add_contact(earlier, email=email, phone=phone, e164=e164)
            return SupportOutcome(earlier, created=False)
        try:
            with transaction.atomic():
                support = Support.objects.create(
                    report=report, device=device_hash(device), email=email, phone=phone, language=language
                )
        except IntegrityError:  # the same device's double click, a moment apart
            return SupportOutcome(report.supports.filter(same).first(), created=False)
        report.support_count = report.supports.count()
        report.save(update_fields=["support_count"])
    return SupportOutcome(support, created=True)


def _add_contact(support, *, email, phone, e164):
    fields = []
    if email and not support.email and not support.report.supports.filter(email=email).exists():
        support.email = email
        fields.append("email")
    if e164 and not support.phone_e164 and not support.report.supports.filter(phone_e164=e164).exists():
        support.phone = phone
        fields.append("phone")
    if fields:
        support.save(update_fields=[*fields, "phone_e164"])
