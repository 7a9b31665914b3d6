from django.test import TestCase


class LanguageTests(TestCase):
    def test_indonesian_is_the_default_even_for_an_english_browser(self):
        response = self.client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        self.assertContains(response, 'lang="id"')

    def test_english_can_be_chosen(self):
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        response = self.client.get("/")
        self.assertContains(response, 'lang="en"')

    def test_the_english_catalog_translates_the_portal(self):
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        response = self.client.get("/lapor/")
        self.assertContains(response, "Complaint")
        self.assertNotContains(response, "Pengaduan</")
