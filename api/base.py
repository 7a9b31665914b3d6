"""The base of every API view: the caller's language from ``Accept-Language`` (Indonesian
unless English is asked for; the web pages use the language cookie instead) and the error
answers every operation documents."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header
from drf_spectacular.utils import OpenApiResponse
from rest_framework.views import APIView

from api.errors import ErrorSerializer


def language_of(request) -> str:
    known = {code for code, _name in settings.LANGUAGES}
    for lang, _q in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        code = lang.split("-")[0].lower()
        if code in known:
            return code
    return settings.LANGUAGE_CODE


class ApiView(APIView):
    """The API authenticates by token or API key, not by the session, so the site's
    LoginRequiredMiddleware leaves it alone and DRF's permission classes guard every view
    (api.auth.IsStaffMember unless a view says otherwise). A view open to anyone sets
    ``public = True`` beside its AllowAny, which tests/test_url_guards.py checks."""

    public = False

    @classmethod
    def as_view(cls, **initkwargs):
        return login_not_required(super().as_view(**initkwargs))

    def initial(self, request, *args, **kwargs):
        code = language_of(request)
        translation.activate(code)
        request.LANGUAGE_CODE = code
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response.setdefault("Content-Language", translation.get_language())
        patch_vary_headers(response, ["Accept-Language"])
        return response


def error(description):
    return OpenApiResponse(ErrorSerializer, description=description)


ERRORS = {
    400: error("Masukan tidak valid / tindakan ditolak"),
    401: error("Perlu token"),
    403: error("Tidak berwenang"),
    404: error("Tidak ditemukan"),
    429: error("Terlalu banyak permintaan"),
}
BODY_ERRORS = {**ERRORS, 415: error("Jenis isi permintaan tidak didukung")}
ACTION_ERRORS = {**BODY_ERRORS, 409: error("Tidak dapat dilakukan pada status sekarang")}
