"""core/form_renderer.py writes the common widgets in Python: every page and form must come
out exactly as Django's own templates draw them, escaping included."""

import re

from django.forms.renderers import DjangoTemplates
from django.test import override_settings
from django.urls import reverse

from core.form_renderer import WidgetsInPython
from portal.forms import ReportForm
from reports.models import Category
from tests import factory
from tests.base import AduanTestCase
from workspace import action_forms, forms

TEMPLATES_RENDERER = "django.forms.renderers.DjangoTemplates"
# What differs from one request to the next whatever the renderer: the masked CSRF token,
# the one-time submission keys, manual entry's "received at" (now, to the minute).
VARYING = re.compile(
    r'(name="csrfmiddlewaretoken" value=|name="submission_key" value=|"X-CSRFToken": |name="received_at" value=)"[^"]*"'
)


def _steady(html):
    return VARYING.sub(r"\1", html)


class SameHtmlTests(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Everything an option's label or value could carry that must be escaped.
        cls.hostile = Category.objects.create(
            name="Jalan & \"trotoar\" <rusak> 'x'", parent=cls.category.parent, default_agency=cls.public_works
        )
        cls.report = factory.make_verified(cls.coordinator, category=cls.hostile)

    def both(self, draw):
        """``draw()`` under Django's template renderer and under WidgetsInPython."""
        with override_settings(FORM_RENDERER=TEMPLATES_RENDERER):
            expected = draw()
        actual = draw()
        return expected, actual

    def assertSamePage(self, user, url):
        if user is not None:
            self.client.force_login(user)

        def page():
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            return _steady(response.content.decode())

        expected, actual = self.both(page)
        self.assertIn("<select", expected)
        self.assertEqual(actual, expected, url)

    def test_the_project_uses_the_python_renderer(self):
        form = forms.ReportFilterForm(user=self.coordinator)
        self.assertIsInstance(form.renderer, WidgetsInPython)

    def test_inbox_is_the_same_html(self):
        self.assertSamePage(self.coordinator, reverse("workspace:inbox"))

    def test_inbox_with_refused_filters_is_the_same_html(self):
        url = reverse("workspace:inbox") + f"?kecamatan={self.kecamatan.pk}&kelurahan=999999&received_from=x&status=y"
        self.assertSamePage(self.coordinator, url)

    def test_report_page_is_the_same_html(self):
        self.assertSamePage(self.coordinator, reverse("workspace:report", args=[self.report.pk]))

    def test_agency_report_page_is_the_same_html(self):
        disposed = factory.make_disposed(self.coordinator, self.public_works)
        self.assertSamePage(self.pw_liaison, reverse("workspace:report", args=[disposed.pk]))

    def test_dispositions_and_manual_entry_are_the_same_html(self):
        self.assertSamePage(self.pw_liaison, reverse("workspace:dispositions"))
        self.assertSamePage(self.coordinator, reverse("workspace:manual_entry"))

    def test_public_submit_page_is_the_same_html(self):
        self.assertSamePage(None, reverse("portal:submit"))

    def test_every_action_form_with_errors_is_the_same_html(self):
        bad = {"category": "999", "kind": "x", "region": "abc", "lead_agency": "-1", "reason": "", "owner": "x"}
        made = [
            lambda **kw: action_forms.VerifyDisposeForm.for_report(self.report, **kw),
            lambda **kw: action_forms.DisposeForm(bad, **kw),
            lambda **kw: action_forms.ArchiveForm(bad, **kw),
            lambda **kw: action_forms.ClassifyForm(bad, **kw),
            lambda **kw: action_forms.FollowUpForm(
                {"message": "<b>isi</b> & 'kutip'", "audience": "x"}, allow_public=False, **kw
            ),
            lambda **kw: action_forms.FinishForm({"message": '"pesan"'}, **kw),
            lambda **kw: action_forms.AssignForm(bad, **kw),
            lambda **kw: action_forms.BulkForm(bad, user=self.coordinator, **kw),
            lambda **kw: forms.ReportFilterForm({"status": ["received", "<x>"], "q": '"><script>'}, **kw),
            lambda **kw: ReportForm({"description": "<script>alert(1)</script>", "kind": "x"}, **kw),
        ]
        for make in made:
            templates, python = make(renderer=DjangoTemplates()), make(renderer=WidgetsInPython())
            templates.is_bound and templates.is_valid()
            python.is_bound and python.is_valid()
            with self.subTest(form=type(templates).__name__):
                self.assertEqual(_steady(str(python)), _steady(str(templates)))
                for a, b in zip(python, templates, strict=True):
                    self.assertEqual(str(a.errors), str(b.errors))
                    self.assertEqual(
                        [str(choice.tag()) for choice in a.subwidgets], [str(choice.tag()) for choice in b.subwidgets]
                    )

    def test_labels_and_values_are_escaped(self):
        html = str(forms.ReportFilterForm(user=self.coordinator)["category"])
        self.assertIn("Jalan &amp; &quot;trotoar&quot; &lt;rusak&gt; &#x27;x&#x27;", html)
        self.assertNotIn("<rusak>", html)
        html = str(forms.ReportFilterForm({"q": '"><script>'})["q"])
        self.assertIn('value="&quot;&gt;&lt;script&gt;"', html)
