"""RSS and Atom feeds of an area's public reports (``/ikuti/rss/?wilayah=…&kategori=…``),
through Django's syndication framework. What a feed may say is alerts/scope.py's rule:
public reports only, their masked words, never an identity or an address. Which areas a
government's portal has feeds for is its "Ikuti" box's (portal/follow_forms.py)."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from alerts import scope
from governments.middleware import portal_government
from governments.models import site_name
from portal.follow_forms import FeedForm

FEED_SIZE = 50


class AreaFeed(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, *args, **kwargs):
        # On a government's portal (/kota-kediri/ikuti/rss/, its host name) only its own areas
        # and categories: another government's is not found there, as in its lists. The
        # installation's un-prefixed feeds take any area, as they always did.
        government = portal_government(request)
        form = FeedForm(request.GET, government=government)
        if not form.is_valid():
            raise Http404
        target = {"region": form.cleaned_data["wilayah"], "category": form.cleaned_data["kategori"]}
        # Signed by the portal it is read on (/kota-kediri/ikuti/rss/ by Aduan Kota Kediri).
        return {"target": target, "site_name": site_name(government)}

    def title(self, obj):
        return f"{scope.describe(**obj['target'])} · {obj['site_name']}"

    def link(self, obj):
        return reverse("portal:public_list")

    def description(self, obj):
        return _("Laporan warga yang sudah diverifikasi. Identitas pelapor dan laporan rahasia tidak ditampilkan.")

    def items(self, obj):
        reports = scope.reports_of(**obj["target"]).select_related("category__parent", "region")
        return list(reports.order_by("-received_at", "-pk")[:FEED_SIZE])

    def item_title(self, item):
        return f"{item.tracking_number}: {item.headline(masked=True)}"

    def item_description(self, item):
        shown = scope.item(item)
        facts = " · ".join(part for part in (shown.status, shown.category, shown.area) if part)
        return f"{facts}\n\n{item.masked_description}"

    def item_link(self, item):
        return reverse("portal:public_detail", args=[item.tracking_number])

    def item_guid(self, item):
        return settings.ADUAN_SITE_URL + self.item_link(item)

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.received_at


class AreaAtomFeed(AreaFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)


rss = login_not_required(AreaFeed())
atom = login_not_required(AreaAtomFeed())
