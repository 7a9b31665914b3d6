"""The site's URLs plus three small views for tests/test_read_replica.py, which tell where
their reads went: the alias and whether that server is a standby (pg_is_in_recovery())."""

from django.contrib.auth.decorators import login_not_required
from django.db import connections
from django.http import JsonResponse
from django.urls import path

from aduan.urls import urlpatterns as site_urlpatterns
from core.dbrouter import replica_reads
from reports.models import Category


def _reads():
    names = Category.objects.all()
    with connections[names.db].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        standby = cursor.fetchone()[0]
    return {"db": names.db, "standby": standby, "names": sorted(names.values_list("name", flat=True))}


@login_not_required
@replica_reads
def read(request):
    """A page marked for the replica."""
    return JsonResponse(_reads())


@login_not_required
def staff_read(request):
    """A page not marked: the primary, always."""
    return JsonResponse(_reads())


@login_not_required
@replica_reads
def rename(request):
    """A page marked for the replica that reads an object, changes it, and reads again."""
    category = Category.objects.get(pk=request.GET["pk"])
    read_from = category._state.db
    category.name = request.GET["name"]
    category.save(update_fields=["name"])
    return JsonResponse({"read_from": read_from, "saved_to": category._state.db, **_reads()})


urlpatterns = [
    path("uji-replika/baca/", read),
    path("uji-replika/staf/", staff_read),
    path("uji-replika/ganti/", rename),
    *site_urlpatterns,
]
