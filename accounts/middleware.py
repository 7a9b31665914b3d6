from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from accounts import twofactor

# What a session that has passed the password but not yet the second factor may still open.
OPEN_VIEWS = {
    "accounts:verify",
    "accounts:setup",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "workspace:logout",
    "admin:logout",
}


class TwoFactorMiddleware:
    """The staff areas (the workspace under /kerja/ and the admin site) open only after the
    second factor: a session that gave the password but owes a code is sent to the code
    page, and one whose role requires 2FA without an authenticator to its setup
    (accounts/twofactor.py, ``pending_step``). Public pages, the API (its own tokens) and
    webhooks are not touched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.view_name in OPEN_VIEWS:
            return None
        if not request.path_info.startswith((reverse("workspace:home"), reverse("admin:index"))):
            return None
        step = twofactor.pending_step(request)
        if step is None:
            return None
        target = reverse("accounts:verify" if step == twofactor.VERIFY else "accounts:setup")
        back = request.get_full_path() if request.method == "GET" else reverse("workspace:home")
        return redirect(f"{target}?{urlencode({'next': back})}")
