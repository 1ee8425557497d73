"""The project's URLs plus views that fail on purpose, for the tests of the 500 answers (test_probes.py)."""

from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from minsheng.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def broken_page(request):
    raise RuntimeError("a page failed")


class BrokenApiView(APIView):
    def get(self, request):
        raise RuntimeError("an API view failed")

    def post(self, request):
        return Response({"ok": True})


urlpatterns = [
    path("probe/broken/", broken_page),
    path("api/v1/probe/broken/", BrokenApiView.as_view()),
    *urlpatterns,
]
