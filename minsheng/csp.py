"""Content-Security-Policy: django-csp's middleware with the policy widened only on the paths that serve
pages we do not write (the unfold admin, Swagger UI, ReDoc), as listed in settings.MINSHENG_CSP_RELAXED."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


def relaxed_directives(path: str) -> dict[str, list[str]] | None:
    """The sources added to the base policy for this path, or None where the strict policy holds."""
    for prefix, directives in getattr(settings, "MINSHENG_CSP_RELAXED", {}).items():
        if path.startswith(prefix):
            return directives
    return None


class MinshengCSPMiddleware(CSPMiddleware):
    """CSPMiddleware whose policy, on the relaxed paths, adds that path's sources; a source added to a
    directive that is 'none' in the base policy replaces it ('none' cannot be combined). A view's own
    csp_update is merged on top."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        extra = None
        if not report_only and not getattr(response, "_csp_standalone_document", False):
            extra = relaxed_directives(request.path_info)
        if not extra:
            return parts
        base = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
        update: dict = {}
        replace: dict = dict(parts.replace or {})
        for key, value in extra.items():
            if base.get(key) == ["'none'"] and key not in replace:
                replace[key] = list(value)
            else:
                update[key] = list(value)
        for key, value in (parts.update or {}).items():
            update.setdefault(key, [])
            update[key] += list(value) if isinstance(value, list | tuple | set) else [value]
        parts.update = update
        parts.replace = replace or None
        return parts


# A document that carries its own stylesheet and no script (the bulletin, rendered for WeasyPrint with an
# inline <style>, previewed in the admin): styles inline, nothing else but its images.
STANDALONE_DOCUMENT_POLICY = {
    "default-src": ["'none'"],
    "script-src": ["'none'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "form-action": ["'none'"],
}


def standalone_document(response):
    """Put `response` (a self-contained HTML document with inline styles only) under its own narrow policy
    instead of the page's: scripts refused outright, nothing fetched but images and fonts."""
    response._csp_replace = STANDALONE_DOCUMENT_POLICY
    response._csp_standalone_document = True
    return response
