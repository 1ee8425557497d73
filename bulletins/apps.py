import logging

from django.apps import AppConfig

# WeasyPrint logs every step at INFO, even the parsing of its own stylesheets when it is imported; a
# bulletin's build log needs only its warnings. Set before anything imports weasyprint.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class BulletinsConfig(AppConfig):
    name = "bulletins"
    verbose_name = "工作简报"
