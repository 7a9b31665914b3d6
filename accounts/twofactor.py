"""Two-factor authentication for staff: an authenticator app (TOTP, RFC 6238) and ten
recovery codes, on django-otp's TOTP and static-token devices.

Who must use it: ``is_required(user)`` — coordinators, executives and the administrators
(anyone who may open the admin site), while ``settings.ADUAN_REQUIRE_2FA`` is on (default:
on in production, off for the demo). Agency staff (liaison, operator, agency head) may turn
it on for themselves; whoever has it is asked for the code at every login.

The steps after the password (``pending_step``), enforced on the staff areas by
accounts/middleware.py:

- ``VERIFY``: the account has a second factor and this session has not given a code yet;
- ``SETUP``: the account must use 2FA and has no authenticator yet (a new coordinator, or
  one whose lost phone the administrator removed).

Whether an account has a second factor is read at login and kept in the session
(``SECOND_FACTOR_KEY``), so a page of someone without 2FA costs no query; the verification
page reads the database again before asking.
"""

import base64

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.roles import staff_profile
from governments.models import site_name_of

VERIFY = "verify"
SETUP = "setup"
SECOND_FACTOR_KEY = "aduan_second_factor"
RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Aplikasi autentikator"
RECOVERY_NAME = "Kode pemulihan"


def is_required(user) -> bool:
    if not settings.ADUAN_REQUIRE_2FA or not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    profile = staff_profile(user)
    return profile.is_coordinator or profile.is_executive


def is_verified(user) -> bool:
    """This session gave a code (django_otp's OTPMiddleware puts the device on the user)."""
    return getattr(user, "otp_device", None) is not None


def authenticator(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_authenticator(user) -> bool:
    if isinstance(getattr(user, "otp_device", None), TOTPDevice):
        return True
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def has_second_factor(user) -> bool:
    """An authenticator, or recovery codes left (the administrator may hand out one with
    ``manage.py addstatictoken`` when a phone is lost)."""
    return has_authenticator(user) or recovery_codes_left(user) > 0


def remember_at_login(request, user) -> None:
    request.session[SECOND_FACTOR_KEY] = has_second_factor(user)


def pending_step(request) -> str | None:
    user = request.user
    if not user.is_authenticated:
        return None
    if not is_verified(user):
        has = request.session.get(SECOND_FACTOR_KEY)
        if has is None:  # a session from before the login recorded it
            has = request.session[SECOND_FACTOR_KEY] = has_second_factor(user)
        if has:
            return VERIFY
        return SETUP if is_required(user) else None
    if is_required(user) and not has_authenticator(user):
        return SETUP  # came in with a recovery code after the phone was removed
    return None


def normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def check_code(user, code: str):
    """The device that accepts ``code`` (a 6-digit code from the app, or a recovery code,
    which is then used up), or None; and the seconds to wait when the device refuses to
    check because of earlier wrong codes (django-otp doubles the wait after each)."""
    code = normalise(code)
    if code.isdigit() and len(code) == 6:
        devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    else:
        devices = list(StaticDevice.objects.filter(user=user, confirmed=True))
    wait = 0
    for device in devices:
        allowed, details = device.verify_is_allowed()
        if not allowed:
            locked_until = (details or {}).get("locked_until")
            if locked_until is not None:
                wait = max(wait, int((locked_until - timezone.now()).total_seconds()) + 1)
            continue
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified, 0
    return None, wait


def log_in(request, device) -> None:
    """Mark this session verified by ``device``, with a new session key (the session now
    carries more rights than before)."""
    request.session.cycle_key()
    otp_login(request, device)
    request.session[SECOND_FACTOR_KEY] = True


# ---------------------------------------------------------------------------- devices


def pending_authenticator(user) -> TOTPDevice:
    """The unconfirmed authenticator being set up (the same one while the page is reloaded)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def issuer(device: TOTPDevice) -> str:
    """The name the authenticator app files the code under (settings.OTP_TOTP_ISSUER): the
    owner's government's (``site_name_of``), so a Kota Kediri coordinator's code reads
    "Aduan Kota Kediri", not another government's installation; the installation's for an
    administrator with no appointment."""
    return site_name_of(staff_profile(device.user).government_id)


def secret_text(device: TOTPDevice) -> str:
    """The key as an authenticator app asks for it when typed by hand: base32 in fours."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice, title: str) -> str:
    """The otpauth:// address as an inline SVG QR code, drawn here: nothing is loaded from
    elsewhere, and the SVG carries no style attribute or script."""
    qr = segno.make(device.config_url, error="m")
    return mark_safe(qr.svg_inline(scale=5, border=4, dark="#000", light="#fff", svgclass="ws-qr", title=title))


def confirm_authenticator(user, device: TOTPDevice, code: str) -> list[str] | None:
    """Set up the authenticator when ``code`` is right.

    1. lock the pending device and check the code against it;
    2. confirm it, and remove any other authenticator of the user;
    3. replace the recovery codes with ten new ones.
    Answers the new recovery codes, or None when the code was wrong.
    """
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
        if not device.verify_token(normalise(code)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        return new_recovery_codes(user)


def new_recovery_codes(user) -> list[str]:
    """Ten new recovery codes, each good once; the old ones stop working."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [f"{code[:4]}-{code[4:]}" for code in codes]


def remove_devices(user) -> int:
    """Turn two-factor authentication off for ``user``: the authenticator and recovery codes
    go. The administrator does this when a phone is lost; the user sets up anew at login."""
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        static, _ = StaticDevice.objects.filter(user=user).delete()
    return removed + static
