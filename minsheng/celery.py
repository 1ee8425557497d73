"""The Celery app. Without REDIS_URL tasks run eagerly in-process (see settings.base).

Beat entries live with their apps, in `<app>/schedule.py`; settings.base collects them.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.settings.dev")

app = Celery("minsheng")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
