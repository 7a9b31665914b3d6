from django.urls import path

from intake import instagram, sms, whatsapp

app_name = "intake"
urlpatterns = [
    path("sms/", sms.webhook, name="sms"),
    path("whatsapp/", whatsapp.webhook, name="whatsapp"),
    path("instagram/", instagram.webhook, name="instagram"),
]
