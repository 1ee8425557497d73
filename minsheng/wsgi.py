"""WSGI entry point (gunicorn minsheng.wsgi): Django, with the public vote's ballots taken first by
voting.api.fastpath.BallotFastPath (see there why)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.settings.prod")

django_application = get_wsgi_application()

from voting.api.fastpath import BallotFastPath  # noqa: E402 (needs the apps loaded)

application = BallotFastPath(django_application)
