"""minsheng: the yearly cycle of livelihood projects (民生实事) for a 民生办."""

from .celery import app as celery_app

__all__ = ["celery_app"]
