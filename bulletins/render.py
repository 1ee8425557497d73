"""A bulletin as self-contained HTML (CSS and charts inline), as plain text, and as PDF (WeasyPrint).

The HTML carries everything it needs, so the frozen HTML of an issued bulletin renders the same in ten
years whatever happens to static/. WeasyPrint may only read local files (fonts come from the system):
`LocalOnlyFetcher` refuses every other URL, so a bulletin never waits on, or leaks to, the network.
"""

import io
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from . import charts
from .choices import SectionKind
from .generator import overall_sentences


class LocalOnlyFetcher(URLFetcher):
    """Fetches data: URLs and files under static/ and MEDIA_ROOT; refuses everything else."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols=["file", "data"], **kwargs)
        roots = [settings.BASE_DIR / "static", Path(settings.MEDIA_ROOT)]
        self.roots = [str(Path(root).resolve()) for root in roots]

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            path = str(Path(url.removeprefix("file://").split("?")[0]).resolve())
            if not any(path == root or path.startswith(root + "/") for root in self.roots):
                raise ValueError(f"简报只能使用本地静态文件：{url}")
        elif not url.startswith("data:"):
            raise ValueError(f"简报不访问网络：{url}")
        return super().fetch(url, headers)


def stylesheet() -> str:
    path = finders.find("bulletins/print.css")
    if not isinstance(path, str):
        raise ImproperlyConfigured("bulletins/print.css is missing from the static files")
    return Path(path).read_text(encoding="utf-8")


def context(bulletin, sections) -> dict:
    sections = list(sections)
    return {
        "bulletin": bulletin,
        "intro": [s for s in sections if s.kind == SectionKind.INTRO],
        "body_sections": [s for s in sections if s.kind != SectionKind.INTRO],
        "toc_sections": [s for s in sections if s.kind != SectionKind.INTRO],
        "overall": overall_sentences(bulletin),
        "chart": charts.completion_chart(bulletin.figures or {}),
    }


def render_html(bulletin, sections) -> str:
    """The whole bulletin as one HTML document with its stylesheet inline."""
    return render_to_string("bulletins/bulletin.html", {**context(bulletin, sections), "css": stylesheet()})


def render_text(bulletin, sections) -> str:
    """The bulletin as plain text (the archive's searchable copy, the API's `text`)."""
    return render_to_string("bulletins/bulletin.txt", context(bulletin, sections)).strip() + "\n"


def render_pdf(html: str) -> tuple[bytes, int]:
    """(PDF bytes, number of pages) of a bulletin's HTML."""
    document = HTML(
        string=html, base_url=str(settings.BASE_DIR / "static"), url_fetcher=LocalOnlyFetcher()
    ).render()
    out = io.BytesIO()
    document.write_pdf(out)
    return out.getvalue(), len(document.pages)
