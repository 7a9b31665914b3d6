"""The monev rollup (issue 21): figures as sums over small rows instead of scans of the
reports and their events.

``DailyRollup`` holds one count per cell: local day × scope (the city, or one agency) ×
the report's classification (category, channel, kind, kelurahan) × measure, plus two
columns that keep distinct-report counts exact over any period:

- ``ref``: for a count of reports (verified, resolved, …) the day of the report's previous
  occurrence of the same measure (``0001-01-01`` for the first). A period [s, e] counts the
  rows with ``s <= day <= e`` and ``ref < s``: each report once, however often it was, say,
  resolved in the period. For the backlog it is the day the report was received (the age
  buckets).
- ``value``: the working days of a first follow-up or completion (the medians are read
  from these histograms), the ordinal of the day of the first answer or rating (heard back,
  share rated: ``value <= e``), or the ordinal of the day a backlog span ended.

``RollupReport`` keeps what one report added (its classification and its cells), so when
an event is recorded the report's part is taken out and put back as its events say now:
order-independent and idempotent (monev/rollup.py).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DailyRollup(models.Model):
    day = models.DateField()
    agency = models.IntegerField(default=0)  # 0: the city (every report)
    category = models.IntegerField(default=0)  # 0: none
    channel = models.CharField(max_length=16, blank=True)
    kind = models.CharField(max_length=24, blank=True)
    region = models.IntegerField(default=0)  # the kelurahan; 0: none
    measure = models.CharField(max_length=40)  # "archived:outside_authority" and the like
    ref = models.DateField()
    value = models.IntegerField(default=0)
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("rekap harian monev")
        verbose_name_plural = _("rekap harian monev")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "agency", "category", "channel", "kind", "region", "measure", "ref", "value"],
                name="monev_rollup_cell",
            )
        ]
        indexes = [
            # A period's rows of one scope; a backlog's open spans (rebuild writes the rows
            # in the order of (agency, measure, day), so both read neighbouring pages).
            models.Index(fields=["agency", "day"], name="monev_rollup_scope_day"),
            models.Index(fields=["measure", "agency", "value"], name="monev_rollup_spans"),
        ]

    def __str__(self):
        return f"{self.day} {self.agency} {self.measure} {self.n}"


class RollupReport(models.Model):
    """What one report contributes to DailyRollup, as last applied."""

    report = models.OneToOneField("reports.Report", primary_key=True, on_delete=models.CASCADE, related_name="+")
    dims = models.JSONField(default=list)  # [category, channel, kind, region]
    cells = models.JSONField(default=list)  # [[day ordinal, agency, measure, ref ordinal, value, n], …]
    # How many of the report's events these cells were computed from: fewer than it has now
    # means a refresh is owed (its task lost or failed; monev/rollup.py ``stale``).
    events = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("sumbangan laporan pada rekap monev")
        verbose_name_plural = _("sumbangan laporan pada rekap monev")

    def __str__(self):
        return str(self.report_id)
