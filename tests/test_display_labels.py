"""Report's own get_status_display / get_channel_display / get_kind_display (quicker than
Django's, which the lists call on every row) answer exactly what Django's would."""

from django.test import SimpleTestCase
from django.utils import translation

from reports.models import Report


class DisplayLabelTests(SimpleTestCase):
    def test_every_value_in_both_languages_is_djangos_label(self):
        report = Report(government_id=None)  # no default: that would read the database
        for name in ("status", "channel", "kind"):
            field = Report._meta.get_field(name)
            ours = getattr(report, f"get_{name}_display")
            for language in ("id", "en"):
                with translation.override(language):
                    for value in [value for value, _label in field.flatchoices] + ["not-a-choice", ""]:
                        setattr(report, name, value)
                        with self.subTest(name=name, language=language, value=value):
                            self.assertEqual(ours(), report._get_FIELD_display(field))

    def test_labels_follow_the_active_language(self):
        report = Report(government_id=None, status="received", channel="web")
        with translation.override("en"):
            self.assertEqual((report.get_status_display(), report.get_channel_display()), ("Received", "Website"))
        with translation.override("id"):
            self.assertEqual((report.get_status_display(), report.get_channel_display()), ("Diterima", "Situs web"))
