"""The site's URLs plus three small views for tests/test_read_replica.py, which tell where
their reads went: the alias and whether that server is a standby (pg_is_in_recovery())."""

from django.contrib.auth.decorators import login_not_required
from django.db import connections
from django.http import JsonResponse, StreamingHttpResponse
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


@login_not_required
@replica_reads
def stream(request):
    """A page marked for the replica whose body reads while it streams (as a long export's)."""

    def lines():
        names = Category.objects.order_by("name")
        yield f"{names.db}\n"
        for name in names.values_list("name", flat=True):
            yield f"{name}\n"

    return StreamingHttpResponse(lines(), content_type="text/plain")


urlpatterns = [
    path("uji-replika/alir/", stream),
    path("uji-replika/baca/", read),
    path("uji-replika/staf/", staff_read),
    path("uji-replika/ganti/", rename),
    *site_urlpatterns,
]
