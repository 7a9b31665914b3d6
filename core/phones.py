"""Phone numbers, parsed once (phonenumbers, Google's libphonenumber data) and kept in E.164
(``+6281234567890``) wherever Aduan compares or sends them. People type Indonesian numbers
as ``0812-3456-7890``, ``+62 812 …``, ``62812…`` or ``812…``; Meta sends WhatsApp ids as bare
international digits (``6281…``, ``4479…``)."""

import re

import phonenumbers

REGION = "ID"  # a number without a country is Indonesian


def e164(raw, *, bare_is_international=False) -> str:
    """``raw`` in E.164, or ValueError when it is not a phone number anyone could dial.
    ``bare_is_international``: digits without ``+``, ``00`` or a leading ``0`` carry their
    country code (a WhatsApp id); otherwise they are read as Indonesian (``812…``)."""
    text = str(raw or "").strip()
    compact = re.sub(r"[\s\-.()/]", "", text)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    elif bare_is_international and compact.isdigit() and not compact.startswith("0"):
        compact = "+" + compact
    if not re.fullmatch(r"\+?\d{6,17}", compact):
        raise ValueError(f"not a phone number: {raw!r}")
    try:
        number = phonenumbers.parse(compact, REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"not a phone number: {raw!r}") from exc
    if not phonenumbers.is_possible_number(number):
        raise ValueError(f"not a phone number: {raw!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def e164_or_blank(raw, **kwargs) -> str:
    """``e164(raw)``, or "" for anything that is not a phone number (for lookups and for the
    stored column, where a typo must not stop the rest)."""
    try:
        return e164(raw, **kwargs)
    except ValueError:
        return ""
