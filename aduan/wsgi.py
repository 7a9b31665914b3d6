import os

from django.core.wsgi import get_wsgi_application

from aduan import envfile

envfile.load()  # .env, read without a shell; variables already set win
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.settings")
application = get_wsgi_application()
