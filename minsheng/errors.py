"""Domain errors with stable codes: a Chinese message on pages, {"code", "detail"} with 400 on the API.

Each app lists its own codes in a `TextChoices` enum in its `errors.py` (`FundingErrorCode`, ...); the codes
more than one app uses, and those the API's exception handler answers with, are `CommonErrorCode` here.
A code's value never changes: API clients match on it. `all_error_codes()` gathers every enum for the
OpenAPI schema.
"""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.module_loading import module_has_submodule


class CommonErrorCode(models.TextChoices):
    """Codes shared by several apps, and those the API's exception handler gives (minsheng/api.py)."""

    INVALID = "invalid", "数据有误"
    REQUIRED = "required", "必填项未填写"
    REASON_REQUIRED = "reason_required", "未说明原因或理由"
    NOT_A_NUMBER = "not_a_number", "不是有效的数字"
    INVALID_YEAR = "invalid_year", "年度无效"
    INVALID_MONTH = "invalid_month", "月份无效"
    INVALID_DATE = "invalid_date", "日期无效"
    INVALID_PHONE = "invalid_phone", "手机号码无效"
    REGION_REQUIRED = "region_required", "未指定区划"
    NOT_FOUND = "not_found", "不存在或不在可见范围内"
    PERMISSION_DENIED = "permission_denied", "无权执行此操作"
    INVALID_TRANSITION = "invalid_transition", "当前状态不允许此操作"
    CONFLICT = "conflict", "与已有记录冲突"
    # Given by DRF for requests refused before any view code runs.
    NOT_AUTHENTICATED = "not_authenticated", "未登录"
    AUTHENTICATION_FAILED = "authentication_failed", "登录凭据无效"
    PARSE_ERROR = "parse_error", "请求内容无法解析"
    METHOD_NOT_ALLOWED = "method_not_allowed", "不支持该请求方法"
    NOT_ACCEPTABLE = "not_acceptable", "无法提供所请求的格式"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type", "不支持该提交格式"
    THROTTLED = "throttled", "请求过于频繁"
    SERVER_ERROR = "server_error", "服务器内部错误"
    # ops (issue 15): a task could not be queued because Redis does not answer (minsheng/queue.py).
    QUEUE_UNAVAILABLE = "queue_unavailable", "后台任务队列暂时不可用"


class DomainError(Exception):
    """A rule of the domain refused an action; `code` is stable, `message` is for users (Chinese)."""

    code: str = CommonErrorCode.INVALID
    status = 400

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        # The plain value, not the enum member: the API's JSON and comparisons see the same string as ever.
        self.code = str(code or self.code)

    def __str__(self):
        return self.message


class PermissionDenied(DomainError):
    code = CommonErrorCode.PERMISSION_DENIED
    status = 403


class InvalidTransition(DomainError):
    code = CommonErrorCode.INVALID_TRANSITION
    status = 409


def error_code_enums() -> list[type[models.TextChoices]]:
    """CommonErrorCode and every `<App>ErrorCode` defined in an installed app's `errors` module."""
    enums: list[type[models.TextChoices]] = [CommonErrorCode]
    for app in apps.get_app_configs():
        if not app.path.startswith(str(settings.BASE_DIR)) or not module_has_submodule(app.module, "errors"):
            continue
        module = import_module(f"{app.name}.errors")
        enums += [
            value
            for name, value in vars(module).items()
            if name.endswith("ErrorCode")
            and isinstance(value, type)
            and issubclass(value, models.TextChoices)
            and value.__module__ == module.__name__
        ]
    return enums


def error_code_choices() -> list[tuple[str, str]]:
    """Every code the API may answer with, as (value, Chinese label): the schema's ErrorCodeEnum."""
    return [(code.value, code.label) for enum in error_code_enums() for code in enum]
