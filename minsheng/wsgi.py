"""WSGI entry point (gunicorn minsheng.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.settings.prod")

application = get_wsgi_application()
