"""The shared navigation for every page rendered with a request (templates/_nav.html)."""

from django.utils.functional import SimpleLazyObject

from .navigation import home_url, nav_items


def navigation(request) -> dict:
    """`site_nav` (the role's links, current one marked) and `home_url`, computed only when a template uses
    them, so public pages that show no navigation never load the user."""
    return {
        "site_nav": SimpleLazyObject(lambda: nav_items(request.user, request.path)),
        "home_url": SimpleLazyObject(lambda: home_url(request.user)),
    }
