"""Domain errors with stable codes: a Chinese message on pages, {"code", "detail"} with 400 on the API."""


class DomainError(Exception):
    """A rule of the domain refused an action; `code` is stable, `message` is for users (Chinese)."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code

    def __str__(self):
        return self.message


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403


class InvalidTransition(DomainError):
    code = "invalid_transition"
    status = 409
