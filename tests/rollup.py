"""The monev rollup's cells, and the cells a rebuild from the events gives: every test
that changes reports in a new way checks the incremental rollup against a rebuild."""

from django.db import transaction

from monev import rollup
from monev.models import DailyRollup


def rows():
    """Every non-empty cell of the rollup, sorted."""
    return sorted(
        DailyRollup.objects.exclude(n=0).values_list(
            "day", "agency", "category", "channel", "kind", "region", "measure", "ref", "value", "n"
        )
    )


def rebuilt():
    """The cells a rebuild from the events gives. The rebuild runs in a savepoint rolled
    back afterwards, so the test's own rows stay as the events left them."""
    sid = transaction.savepoint()
    rollup.rebuild()
    expected = rows()
    transaction.savepoint_rollback(sid)
    return expected
