from django.test import Client, TestCase


class CsrfFailureTests(TestCase):
    def test_a_post_without_its_token_gets_a_plain_indonesian_page(self):
        client = Client(enforce_csrf_checks=True)
        response = client.post("/lapor/", {"description": "x"})
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "Formulir kedaluwarsa", status_code=403)
        self.assertNotContains(response, "CSRF verification failed", status_code=403)
