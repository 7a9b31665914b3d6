"""What monev shows, named once: the indicators of the agency scorecard (with which way is
better, for the colours against settings.ADUAN_MONEV_TARGETS) and the breakdowns the
public transparency page offers. The dashboard, the public page and the recaps read them
here, so none of them imports another for its lists."""

from django.utils.translation import gettext_lazy as _

# (key, label, how to read it from the figures, higher is better)
INDICATORS = [
    ("on_time_follow_up", _("Tindak lanjut pertama tepat waktu (%)"), lambda f: f.on_time["follow_up"].percent, True),
    ("on_time_resolution", _("Penyelesaian tepat waktu (%)"), lambda f: f.on_time["resolution"].percent, True),
    ("median_follow_up_days", _("Median hari kerja ke tindak lanjut"), lambda f: f.follow_up_days_median, False),
    ("share_rated", _("Dinilai pelapor (%)"), lambda f: f.share_rated.percent, True),
]

# The breakdowns of the public transparency page (figures.DIMENSIONS names them all).
PUBLIC_DIMENSIONS = ["channel", "kind", "category", "kecamatan", "kelurahan", "agency"]
