"""Guarded unless marked public: every URL of the site is either open to anyone on
purpose (Django's ``login_not_required``; for the API, ``public = True`` with AllowAny) or
behind an access helper (agencies/roles.py's guards, DRF permission classes, the admin
site's own check). A new view that is neither fails here, and LoginRequiredMiddleware
keeps it behind the login page meanwhile."""

import pytest
from django.contrib.admin.sites import site as admin_site
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from api.base import ApiView

# The admin site checks every one of its views itself (AdminSite.admin_view).
SELF_GUARDED_NAMESPACES = {admin_site.name}
# The only open doors of the staff areas: logging in, out, and resetting a password.
STAFF_DOORS = ("kerja/masuk/", "kerja/keluar/", "kerja/lupa-sandi/", "kerja/sandi-baru/", "admin/login/")


def walk(patterns, prefix="", namespaces=()):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            extra = (pattern.namespace,) if pattern.namespace else ()
            yield from walk(pattern.url_patterns, route, namespaces + extra)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback, namespaces


def classify(callback):
    """("public" | "guarded" | None, why)."""
    view_class = getattr(callback, "cls", None)
    if view_class is not None and issubclass(view_class, APIView):
        permissions = list(view_class.permission_classes)
        if getattr(view_class, "public", False):
            return "public", "API view marked public"
        if permissions and not all(p is AllowAny for p in permissions):
            return "guarded", f"DRF permissions {[p.__name__ for p in permissions]}"
        if not issubclass(view_class, ApiView) and getattr(callback, "login_required", True) is False:
            return "public", "a library's API view marked login_not_required where it is routed"
        return None, "API view open to anyone without public = True"
    if getattr(callback, "login_required", True) is False:
        return "public", "login_not_required"
    guard = getattr(callback, "access_guard", None)
    if guard:
        return "guarded", guard
    return None, "neither public nor guarded"


def all_routes():
    return list(walk(get_resolver().url_patterns))


def test_every_url_is_public_on_purpose_or_guarded_by_an_access_helper():
    unexplained = []
    for route, callback, namespaces in all_routes():
        if set(namespaces) & SELF_GUARDED_NAMESPACES and route != "admin/login/":
            continue
        kind, why = classify(callback)
        if kind is None:
            unexplained.append(f"{route}: {callback.__module__}.{getattr(callback, '__name__', callback)} ({why})")
    assert unexplained == []


def test_nothing_in_the_staff_areas_is_public_but_their_doors():
    public = [route for route, callback, _ns in all_routes() if classify(callback)[0] == "public"]
    assert "lapor/" in public  # the portal is
    staff_area = [r for r in public if r.startswith(("kerja/", "admin/")) and not r.startswith(STAFF_DOORS)]
    assert staff_area == []


@pytest.mark.django_db
def test_an_unmarked_staff_page_sends_an_anonymous_visitor_to_the_login_page():
    response = Client().get("/kerja/laporan/")
    assert response.status_code == 302
    assert response["Location"].startswith("/kerja/masuk/")


@pytest.mark.django_db
def test_the_public_pages_open_without_a_login():
    client = Client()
    for url in ("/", "/lapor/", "/lacak/", "/laporan/", "/transparansi/", "/health/live/", "/api/v1/categories/"):
        assert client.get(url).status_code == 200, url
