"""One error format for the whole API, in the caller's language (Indonesian unless
``Accept-Language`` asks for English):

    {"errors": [{"field": "description", "code": "required", "message": "..."}]}

``field`` is null for errors about the request as a whole. Never a stack trace."""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError, InvalidTransition, NotAllowed

logger = logging.getLogger(__name__)


class FormInvalid(exceptions.APIException):
    """A Django form refused the input; carries the form's errors field by field."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, form):
        self.form = form
        super().__init__(detail="invalid")


class LockedOut(exceptions.APIException):
    """Too many failed logins for this account or address (django-axes, accounts/lockout.py):
    429 with Retry-After, like the other limits, but its own code so a client can tell."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self, wait_seconds: int, message):
        self.wait = wait_seconds
        super().__init__(detail=message, code=self.default_code)


def check(form):
    """``form`` when valid, else FormInvalid (a 400 answer listing every error)."""
    if not form.is_valid():
        raise FormInvalid(form)
    return form


def _messages():
    # Our own words for DRF's answers, so they read the same as the rest of Aduan.
    return {
        "not_authenticated": _("Perlu masuk: kirim token petugas di header Authorization."),
        "authentication_failed": None,  # keeps our authentication class's own message
        "permission_denied": _("Anda tidak berwenang mengakses ini."),
        "not_found": _("Tidak ditemukan."),
        "method_not_allowed": _("Metode HTTP ini tidak didukung di alamat ini."),
        "unsupported_media_type": _("Jenis isi permintaan tidak didukung; gunakan JSON atau multipart/form-data."),
        "parse_error": _("Isi permintaan tidak dapat dibaca."),
        "not_acceptable": _("Format jawaban yang diminta tidak tersedia; API ini menjawab dalam JSON."),
    }


def _error(code, message, field=None):
    return {"field": field, "code": code, "message": str(message)}


def _flatten(detail, field=None):
    """DRF's nested error detail → a flat list of errors."""
    if isinstance(detail, dict):
        out = []
        for key, value in detail.items():
            name = None if key in ("non_field_errors", "detail") else (f"{field}.{key}" if field else str(key))
            out += _flatten(value, name)
        return out
    if isinstance(detail, list):
        return [error for item in detail for error in _flatten(item, field)]
    return [_error(getattr(detail, "code", "invalid"), detail, field)]


def _form_errors(form):
    out = []
    for name, errors in form.errors.as_data().items():
        for error in errors:
            for message in error.messages:
                out.append(_error(error.code or "invalid", message, None if name == "__all__" else name))
    return out


def exception_handler(exc, context):
    if isinstance(exc, FormInvalid):
        return Response({"errors": _form_errors(exc.form)}, status=400)
    if isinstance(exc, DomainError):
        if isinstance(exc, NotAllowed):
            code, status_code = "not_allowed", 403
        elif isinstance(exc, InvalidTransition):
            code, status_code = "invalid_transition", 409
        else:
            code, status_code = "refused", 400
        return Response({"errors": [_error(code, exc.message)]}, status=status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("API error", exc_info=exc)
        return Response({"errors": [_error("server_error", _("Terjadi kesalahan di server. Coba lagi nanti."))]}, 500)
    if isinstance(exc, exceptions.Throttled):
        message = _("Terlalu banyak permintaan. Coba lagi dalam %(n)d detik.") % {"n": exc.wait or 1}
        errors = [_error("throttled", message)]
    elif isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
    else:
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else "error"
        if code == "permission_denied" and str(exc.detail) != str(exceptions.PermissionDenied.default_detail):
            message = exc.detail  # a permission class's own message
        else:
            message = _messages().get(code) or exc.detail
        errors = [_error(code, message)]
    response.data = {"errors": errors}
    return response


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True)
    code = serializers.CharField()
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    errors = ErrorItemSerializer(many=True)
