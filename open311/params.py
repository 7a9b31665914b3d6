"""Reading GeoReport v2 parameters into domain values; anything wrong raises Open311Error
(400) with a description the client can show."""

import datetime as dt
import math
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, slug_re, validate_email
from django.db.models import Subquery
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from agencies.models import Region
from core import phones
from core.forms import date_in_range, out_of_range_message
from governments.models import Government, home_government
from open311 import catalogue
from open311.errors import Open311Error, not_found
from open311.models import Datatype
from open311.presenters import CLOSED_STATES, OPEN_STATES

MAX_DESCRIPTION = 4000
MAX_STRING = 500
WINDOW = dt.timedelta(days=90)
MAX_RESULTS = 1000
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")


def bad(message, **values):
    return Open311Error(message % values if values else message)


def _text(data, name, limit):
    value = (data.get(name) or "").strip()
    if len(value) > limit:
        raise bad(_("%(name)s terlalu panjang (paling banyak %(n)d karakter)."), name=name, n=limit)
    return value


def _flag(data, name):
    value = (data.get(name) or "").strip().lower()
    if value in ("", "false", "0", "no"):
        return False
    if value in ("true", "1", "yes"):
        return True
    raise bad(_("%(name)s harus true atau false."), name=name)


def _coordinate(data, name, limit):
    raw = (data.get(name) or "").strip()
    try:
        number = float(raw)
    except ValueError:
        raise bad(_("%(name)s harus berupa angka desimal (WGS84), misalnya -8.0983."), name=name) from None
    if not math.isfinite(number) or not -limit <= number <= limit:
        raise bad(_("%(name)s harus di antara -%(n)d dan %(n)d."), name=name, n=limit)
    return Decimal(repr(number)).quantize(Decimal("0.000001"))


def jurisdiction(data) -> Government:
    """The government ``jurisdiction_id`` (its slug) names; without it, the installation's
    default government. An unknown or inactive one is not found (404)."""
    slug = (data.get("jurisdiction_id") or "").strip()
    if not slug:
        government = home_government()
    else:
        # Not a slug (a NUL byte, which PostgreSQL refuses in a query): unknown, never asked.
        government = Government.objects.active().filter(slug=slug).first() if slug_re.match(slug) else None
    if government is None:
        raise not_found(_("jurisdiction_id %(id)s tidak dikenal.") % {"id": slug[:60]})
    return government


def jurisdiction_scope(data):
    """What a read filters ``government`` by: the government ``jurisdiction_id`` names, or
    without it the default government as a subquery, so a page costs no extra query."""
    if (data.get("jurisdiction_id") or "").strip():
        return jurisdiction(data)
    return Subquery(Government.objects.active().order_by("pk").values("pk")[:1])


def location(data, government=None) -> dict:
    """lat/long, address_string or address_id (a kelurahan's region code): at least one."""
    result = {"latitude": None, "longitude": None, "region": None, "address_id": ""}
    has_lat, has_long = bool((data.get("lat") or "").strip()), bool((data.get("long") or "").strip())
    if has_lat != has_long:
        raise bad(_("lat dan long harus dikirim bersama."))
    if has_lat:
        result["latitude"] = _coordinate(data, "lat", 90)
        result["longitude"] = _coordinate(data, "long", 180)
    result["address"] = _text(data, "address_string", 300)
    address_id = _text(data, "address_id", 100)
    if address_id:
        regions = Region.objects.filter(code=address_id, level=Region.Level.KELURAHAN)
        region = (regions if government is None else regions.filter(government=government)).first()
        if region is None:
            raise bad(_("address_id %(id)s tidak dikenal: pakai kode wilayah kelurahan."), id=address_id)
        result["region"], result["address_id"] = region, address_id
    if not (has_lat or result["address"] or address_id):
        raise bad(_("Lokasi wajib diisi: lat dan long, address_string, atau address_id."))
    return result


def _attribute_values(data) -> dict:
    values = {}
    for name in data:
        match = _ATTRIBUTE.match(name)
        if match:
            values.setdefault(match.group(1), []).extend(v.strip() for v in data.getlist(name))
    return values


def _check_answer(attribute, given):
    given = [value for value in given if value]
    if not given:
        return None
    label = f"attribute[{attribute.code}]"
    if attribute.datatype != Datatype.MULTI and len(given) > 1:
        raise bad(_("%(name)s hanya boleh berisi satu nilai."), name=label)
    value = given[0]
    if attribute.datatype in (Datatype.SINGLE, Datatype.MULTI):
        keys = {option.key for option in attribute.values.all()}
        unknown = [item for item in given if item not in keys]
        if unknown:
            raise bad(
                _("%(name)s: nilai %(value)s tidak ada dalam pilihan (%(keys)s)."),
                name=label,
                value=", ".join(unknown),
                keys=", ".join(sorted(keys)),
            )
        return list(dict.fromkeys(given)) if attribute.datatype == Datatype.MULTI else value
    if attribute.datatype == Datatype.NUMBER:
        try:
            if not math.isfinite(float(value)):
                raise ValueError
        except ValueError:
            raise bad(_("%(name)s harus berupa angka."), name=label) from None
        return value
    if attribute.datatype == Datatype.DATETIME:
        parsed = _parse_datetime(value)
        if parsed is None:
            raise bad(_("%(name)s harus berupa tanggal ISO 8601, misalnya 2026-01-31T14:30:00+07:00."), name=label)
        return parsed.isoformat()
    limit = MAX_DESCRIPTION if attribute.datatype == Datatype.TEXT else MAX_STRING
    if len(value) > limit:
        raise bad(_("%(name)s terlalu panjang (paling banyak %(n)d karakter)."), name=label, n=limit)
    return value


def answers(category, data) -> list:
    """[(ServiceAttribute, value)] for the category's questions; unknown codes, missing
    required answers and values of the wrong type are refused."""
    attributes = {attribute.code: attribute for attribute in catalogue.attributes_of(category)}
    given = _attribute_values(data)
    unknown = sorted(set(given) - {code for code, a in attributes.items() if a.variable})
    if unknown:
        raise bad(_("Atribut tidak dikenal untuk layanan ini: %(codes)s."), codes=", ".join(unknown))
    result = []
    for code, attribute in attributes.items():
        if not attribute.variable:
            continue
        value = _check_answer(attribute, given.get(code, []))
        if value is None:
            if attribute.required:
                raise bad(_("attribute[%(code)s] wajib diisi."), code=code)
            continue
        result.append((attribute, value))
    return result


def submission(data, government) -> dict:
    """Everything a POST requests carries, checked: a service and an address_id of
    ``government`` (the request's jurisdiction) only."""
    code = (data.get("service_code") or "").strip()
    if not code:
        raise bad(_("service_code wajib diisi."))
    category = catalogue.get_service(code, government)
    if category is None:
        raise bad(_("service_code %(code)s tidak dikenal; lihat GET services."), code=code[:50])
    values = {"category": category, "government": government, **location(data, government)}
    values["answers"] = answers(category, data)
    values["description"] = _text(data, "description", MAX_DESCRIPTION)
    email = _text(data, "email", 254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise bad(_("email tidak valid.")) from None
    phone = _text(data, "phone", 32)
    if phone and not phones.e164_or_blank(phone):
        raise bad(_("phone tidak valid."))
    media_url = _text(data, "media_url", 500)
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            raise bad(_("media_url harus berupa alamat http atau https.")) from None
    first, last = _text(data, "first_name", 60), _text(data, "last_name", 60)
    values.update(
        email=email,
        phone=phone,
        name=f"{first} {last}".strip(),
        media_url=media_url,
        device_id=_text(data, "device_id", 100),
        account_id=_text(data, "account_id", 100),
        is_anonymous=_flag(data, "anonymous"),
        is_confidential=_flag(data, "confidential"),
    )
    return values


# ---------------------------------------------------------------------------- GET requests


def _parse_datetime(text):
    text = (text or "").strip()
    try:
        value = parse_datetime(text)
        if value is None:
            day = parse_date(text)
            value = dt.datetime.combine(day, dt.time()) if day else None
    except ValueError:
        return None
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _date_param(data, name):
    raw = (data.get(name) or "").strip()
    if not raw:
        return None
    value = _parse_datetime(raw)
    if value is None:
        raise bad(_("%(name)s harus berupa tanggal ISO 8601, misalnya 2026-01-31T00:00:00+07:00."), name=name)
    if not date_in_range(value.date()):
        # Year 1 or 9999 overflows once shifted by the 90-day window or to UTC.
        raise bad("%(name)s: %(reason)s", name=name, reason=out_of_range_message())
    return value


def _positive(data, name, default, limit):
    raw = (data.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= limit:
        raise bad(_("%(name)s harus bilangan bulat 1 sampai %(n)d."), name=name, n=limit)
    return int(raw)


def _listing(data, name):
    return [item.strip() for item in (data.get(name) or "").split(",") if item.strip()]


def request_filters(data) -> dict:
    """service_request_id (overrides the rest), service_code, start_date, end_date
    (at most 90 days apart; default the last 90 days), status; page and page_size."""
    filters = {
        "page": _positive(data, "page", 1, 1_000_000),
        "page_size": _positive(data, "page_size", MAX_RESULTS, MAX_RESULTS),
    }
    ids = _listing(data, "service_request_id")
    if len(ids) > MAX_RESULTS:
        raise bad(_("Paling banyak %(n)d service_request_id sekaligus."), n=MAX_RESULTS)
    if ids:
        return {**filters, "ids": ids}
    codes = _listing(data, "service_code")
    bad_codes = [code for code in codes if not code.isdigit()]
    if bad_codes:
        raise bad(_("service_code %(code)s tidak dikenal; lihat GET services."), code=bad_codes[0][:50])
    statuses = []
    for status in _listing(data, "status"):
        if status not in ("open", "closed"):
            raise bad(_("status harus open atau closed."))
        statuses += OPEN_STATES if status == "open" else CLOSED_STATES
    start, end = _date_param(data, "start_date"), _date_param(data, "end_date")
    if start and end and end < start:
        raise bad(_("end_date harus sesudah start_date."))
    if start and end and end - start > WINDOW:
        raise bad(_("Rentang start_date sampai end_date paling lama 90 hari."))
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        start = end - WINDOW
    if end is None:
        end = start + WINDOW
    return {**filters, "codes": [int(code) for code in codes], "statuses": statuses, "start": start, "end": end}
