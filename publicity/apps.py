from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "publicity"
    verbose_name = "宣传公开"
