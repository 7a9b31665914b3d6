"""The coordinator's page of deliveries that failed or wait for a retry (``/kerja/pengiriman/``),
with a "kirim ulang" button. Coordinators only: the page shows the texts sent to reporters."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.roles import coordinator_required, staff_profile
from core.errors import DomainError
from governments import channel_accounts
from governments.models import Government, home_government_id
from notify import actions
from notify.models import OutboxMessage

PAGE_LIMIT = 200


def mask(address) -> str:
    """Enough of an address to tell messages apart, not enough to read someone's contact."""
    address = str(address or "")
    if "@" in address:
        name, _at, domain = address.partition("@")
        return f"{name[:1]}***@{domain}"
    return "****" + address[-4:] if len(address) > 4 else "****"


def name_accounts(rows):
    """Each row's ``account_government``: the name of the government whose own account
    (ADUAN_CHANNEL_GOVERNMENTS) it goes out from, "" for the installation's own or an
    account no longer listed — with several governments' numbers, which one sent. One
    query, and none when every row goes from the installation's."""
    slugs = {row.pk: channel_accounts.slug_for(row.channel, row.account) for row in rows if row.account}
    names = dict(Government.objects.filter(slug__in=set(slugs.values())).values_list("slug", "name")) if slugs else {}
    for row in rows:
        row.account_government = names.get(slugs.get(row.pk), "")


def _messages_for(user):
    """The messages of the governments ``user`` coordinates (tenancy: a Kota Kediri
    coordinator never reads what Kota Blitar sent its residents)."""
    return OutboxMessage.objects.of_governments(
        staff_profile(user).coordinated_government_ids, home_id=home_government_id()
    )


@coordinator_required
def deliveries(request):
    rows = list(
        _messages_for(request.user)
        .troubled()
        .select_related("report")
        .order_by("state", "-created_at", "-pk")[:PAGE_LIMIT]
    )
    for row in rows:
        row.masked_recipient = mask(row.recipient)
    name_accounts(rows)
    return render(request, "notify/deliveries.html", {"rows": rows, "limit": PAGE_LIMIT})


@require_POST
@coordinator_required
def retry(request, pk):
    message = get_object_or_404(_messages_for(request.user), pk=pk)
    try:
        actions.retry(message, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Pesan #%(id)d dijadwalkan untuk dikirim ulang.") % {"id": message.pk})
    return redirect("workspace:deliveries")
