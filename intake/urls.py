from django.urls import path

from intake import whatsapp
from intake.instagram import webhook as instagram_webhook
from intake.sms import webhook as sms_webhook

app_name = "intake"
urlpatterns = [
    path("sms/", sms_webhook.webhook, name="sms"),
    path("whatsapp/", whatsapp.webhook, name="whatsapp"),
    path("instagram/", instagram_webhook.webhook, name="instagram"),
]
