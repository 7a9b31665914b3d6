from django.urls import path

from intake import sms, whatsapp

app_name = "intake"
urlpatterns = [
    path("sms/", sms.webhook, name="sms"),
    path("whatsapp/", whatsapp.webhook, name="whatsapp"),
]
