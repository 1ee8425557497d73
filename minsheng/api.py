"""API plumbing shared by every app: the exception handler that speaks {"code", "detail"}, decimal fields."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from org import access

from .errors import CommonErrorCode, DomainError
from .fields import FIGURE, MONEY
from .security_events import EventKind, Result, emit


class ApiPagination(PageNumberPagination):
    """Pages of 50 by default; `page_size` lets a client ask for up to 500."""

    page_size_query_param = "page_size"
    max_page_size = 500


class MoneySerializerField(serializers.DecimalField):
    """An amount in yuan with the digits of the model's MoneyField (minsheng/fields.py)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=MONEY.max_digits, decimal_places=MONEY.decimal_places, **kwargs)


class FigureSerializerField(serializers.DecimalField):
    """A target or completed value with the digits of the model's FigureField (minsheng/fields.py)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=FIGURE.max_digits, decimal_places=FIGURE.decimal_places, **kwargs)


class RestrictedViewSetMixin:
    """A viewset over the rows the access policy lets the user see, scoped once, here.

    `queryset` names the model (the schema reads it); `get_queryset` restricts it to the user
    (`org.access.restrict`), then `refine(queryset)` adds the joins and the order a view needs. What a user
    may *do* with a row is decided by the service the view calls.
    """

    def get_queryset(self):
        return self.refine(access.restrict(super().get_queryset(), self.request.user))

    def refine(self, queryset):
        return queryset


CONFLICT = {
    "code": CommonErrorCode.CONFLICT,
    "detail": "数据与已有记录冲突（违反唯一性或完整性约束），未作任何修改。",
}


def domain_error_body(exc: DomainError) -> dict[str, Any]:
    body: dict[str, Any] = {"code": exc.code, "detail": exc.message}
    if exc.field:
        body["fields"] = {exc.field: [exc.message]}
    return body


def exception_handler(exc, context):
    """Every API error is JSON: {"code": ..., "detail": ...} plus field errors where there are some."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("不存在或不在您的可见范围内。")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied("您无权执行此操作。")
    if isinstance(exc, DomainError):
        response = Response(domain_error_body(exc), status=exc.status)
        record_api_refusal(exc, context, response)
        return response
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, IntegrityError):
        return Response(CONFLICT, status=status.HTTP_409_CONFLICT)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    record_api_refusal(exc, context, response)
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "code": CommonErrorCode.INVALID,
            "detail": "提交的数据有误。",
            "fields": response.data,
        }
    elif isinstance(exc, exceptions.APIException):
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        response.data = {
            "code": exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code,
            "detail": str(detail),
        }
    return response


# --- security audit log (issue 15): API refusals (401 not signed in, 403 not allowed) are recorded once ---
REFUSALS = (exceptions.NotAuthenticated, exceptions.AuthenticationFailed, exceptions.PermissionDenied)


def record_api_refusal(exc, context, response) -> None:
    request = context.get("request")
    refused = isinstance(exc, REFUSALS) or (isinstance(exc, DomainError) and exc.status in (401, 403))
    if request is None or not refused:
        return
    reason = exc.message if isinstance(exc, DomainError) else str(getattr(exc, "detail", ""))
    view = context.get("view")
    emit(
        EventKind.REFUSED,
        request=request,
        target=f"api:{type(view).__name__}" if view is not None else "",
        detail={"status": response.status_code, "reason": reason},
        result=Result.REFUSED,
    )


# --- end security audit log ---


# What each error status means when a view says no more (views with their own wording keep it).
ERROR_RESPONSES = {
    "400": "参数或数据有误，或被业务规则拒绝（code 说明原因）。",
    "403": "未登录或无权执行此操作。",
    "409": "当前状态不允许此操作，或与已有记录冲突。",
}
UNSAFE_METHODS = {"post", "put", "patch", "delete"}


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation answers 400 and 403 (and 409 when it changes
    something) with the Error component, whose `code` enum lists every error code (minsheng/errors.py)."""
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status_code, description in ERROR_RESPONSES.items():
                if status_code == "409" and method not in UNSAFE_METHODS:
                    continue
                operation["responses"].setdefault(status_code, {"content": error, "description": description})
    return result
