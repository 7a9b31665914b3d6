"""Staff accounts: the second step of the login (code or recovery code), setting up the
authenticator app, recovery codes, the account page, and the password reset by email.
The rules are in accounts/twofactor.py; these views parse, call, and render or redirect."""

from urllib.parse import urlencode

from axes.utils import reset as reset_login_attempts
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from accounts import forms, sessions, twofactor
from accounts.signals import second_factor_enabled
from agencies.roles import account_required
from core import throttle

RECOVERY_CODES_KEY = "aduan_recovery_codes"


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("workspace:home")


def _with_next(name, next_url) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


@never_cache
@account_required
def verify(request):
    user = request.user
    next_url = _next(request)
    if twofactor.is_verified(user):
        return redirect(next_url)
    if not twofactor.has_second_factor(user):  # the administrator removed the devices meanwhile
        request.session[twofactor.SECOND_FACTOR_KEY] = False
        return redirect(next_url)
    form = forms.CodeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        twofactor.log_in(request, form.device)
        if isinstance(form.device, StaticDevice):
            left = twofactor.recovery_codes_left(user)
            messages.warning(
                request,
                _("Anda masuk dengan kode pemulihan; sisa %(left)d kode. Buat kode baru di halaman Akun.")
                % {"left": left},
            )
        return redirect(next_url)
    status = 400 if form.errors else 200
    return render(request, "accounts/verify.html", {"form": form, "next": next_url}, status=status)


@never_cache
@account_required
def setup(request):
    user = request.user
    next_url = _next(request)
    if twofactor.has_authenticator(user):
        messages.info(request, _("Verifikasi dua langkah sudah aktif untuk akun ini."))
        return redirect("accounts:security")
    if not twofactor.is_verified(user) and twofactor.has_second_factor(user):
        # Only recovery codes left: prove it is you before a new phone is added.
        return redirect(_with_next("accounts:verify", reverse("accounts:setup")))
    device = twofactor.pending_authenticator(user)
    form = forms.SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.confirm_authenticator(user, device, form.cleaned_data["code"])
        if codes is not None:
            device.refresh_from_db()
            twofactor.log_in(request, device)
            request.session[RECOVERY_CODES_KEY] = codes
            messages.success(request, _("Verifikasi dua langkah aktif. Mulai sekarang setiap masuk meminta kode."))
            # A session opened elsewhere with the password alone ends here; this one stays.
            if ended := sessions.end_other_sessions(user, keep=request.session.session_key):
                messages.info(
                    request,
                    ngettext(
                        "%(n)d sesi lain akun ini diakhiri; di sana masuk lagi dengan kode.",
                        "%(n)d sesi lain akun ini diakhiri; di sana masuk lagi dengan kode.",
                        ended,
                    )
                    % {"n": ended},
                )
            # A personal API token, obtained with the password alone, ends too.
            revoked = sum(n for _receiver, n in second_factor_enabled.send(sender=type(user), user=user) if n)
            if revoked:
                messages.info(
                    request,
                    ngettext(
                        "%(n)d token API pribadi akun ini dicabut; minta token baru dengan kode.",
                        "%(n)d token API pribadi akun ini dicabut; minta token baru dengan kode.",
                        revoked,
                    )
                    % {"n": revoked},
                )
            return redirect(_with_next("accounts:recovery_codes", next_url))
        form.add_error(
            "code", _("Kode tidak cocok. Pastikan jam di ponsel Anda tepat, lalu ketik kode yang sedang tampil.")
        )
    context = {
        "form": form,
        "next": next_url,
        "required": twofactor.is_required(user),
        "qr": twofactor.qr_svg(device, _("Kode QR untuk aplikasi autentikator")),
        "secret": twofactor.secret_text(device),
        "issuer": twofactor.issuer(device),
    }
    return render(request, "accounts/setup.html", context, status=400 if form.errors else 200)


@never_cache
@account_required
def recovery_codes(request):
    """The new recovery codes, shown this once (they were put in the session by the step
    that made them, and are taken out now)."""
    codes = request.session.pop(RECOVERY_CODES_KEY, None)
    if not codes:
        messages.info(request, _("Kode pemulihan hanya ditampilkan sekali. Bila hilang, buat kode baru di sini."))
        return redirect("accounts:security")
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)})


@never_cache
@account_required
def security(request):
    user = request.user
    context = {
        "device": twofactor.authenticator(user),
        "codes_left": twofactor.recovery_codes_left(user),
        "required": twofactor.is_required(user),
        "disable_form": forms.CodeForm(user),
    }
    return render(request, "accounts/security.html", context)


@require_POST
@account_required
def regenerate_codes(request):
    if not twofactor.has_authenticator(request.user):
        return redirect("accounts:setup")
    request.session[RECOVERY_CODES_KEY] = twofactor.new_recovery_codes(request.user)
    return redirect(_with_next("accounts:recovery_codes", reverse("accounts:security")))


@require_POST
@account_required
def disable(request):
    """Turn 2FA off, for a role that does not require it, with a current code as proof."""
    user = request.user
    if twofactor.is_required(user):
        messages.error(request, _("Peran Anda wajib memakai verifikasi dua langkah; tidak dapat dimatikan."))
        return redirect("accounts:security")
    form = forms.CodeForm(user, request.POST)
    if not form.is_valid():
        context = {
            "device": twofactor.authenticator(user),
            "codes_left": twofactor.recovery_codes_left(user),
            "required": False,
            "disable_form": form,
        }
        return render(request, "accounts/security.html", context, status=400)
    twofactor.remove_devices(user)
    request.session[twofactor.SECOND_FACTOR_KEY] = False
    messages.success(request, _("Verifikasi dua langkah dimatikan untuk akun ini."))
    return redirect("accounts:security")


# ---------------------------------------------------------------------------- password reset
# Django's views and signed tokens: a link works once (the token covers the password hash
# and the last login, both changed by the reset) and for PASSWORD_RESET_TIMEOUT; the answer
# to a request is the same whether the address belongs to an account or not.


class PasswordResetView(auth_views.PasswordResetView):
    """The email itself is queued by the form and written by a worker (accounts/reset.py)."""

    template_name = "accounts/password_reset_form.html"
    form_class = forms.StaffPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        # Limited per address: the form sends mail, and must not become a mail cannon.
        if wait := throttle.retry_after("password_reset", request):
            form = self.get_form()
            form.is_valid()
            form.add_error(None, throttle.too_often_message(wait))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        throttle.count("password_reset", request)
        return super().post(request, *args, **kwargs)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def render_to_response(self, context, **response_kwargs):
        if not context.get("validlink"):
            response_kwargs["status"] = 400  # used, expired or mangled: said plainly on the page
        context["minutes"] = settings.PASSWORD_RESET_TIMEOUT // 60
        return super().render_to_response(context, **response_kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever proved the mailbox may try the new password at once, even after a lockout.
        reset_login_attempts(username=form.user.get_username())
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
