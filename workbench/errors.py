"""Chinese error pages (400, 403, 404, 500 and a refused CSRF check) that carry the view's reason.

A reason is shown when the view gave one in Chinese (PermissionDenied("…"), Http404("…")); Django's own
English messages ("No Project matches the given query.", a URL that resolves nowhere) are put in Chinese
here, so no English reaches a user.
"""

import logging
import re

from django.apps import apps
from django.http import (
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
    JsonResponse,
)
from django.middleware import csrf
from django.template import loader
from django.urls import Resolver404
from django.utils.translation import gettext
from django.views.decorators.csrf import requires_csrf_token

from minsheng.errors import CommonErrorCode
from minsheng.security_events import EventKind, Result, emit

CHINESE = re.compile(r"[\u4e00-\u9fff]")
NOT_FOUND = "No %s matches the given query."  # get_object_or_404's message (django/shortcuts.py)

# Exact reasons first; the two that carry an origin ("... - %s does not match ...") last, matched on the
# fixed part before it (which the other Referer reasons share).
CSRF_REASONS = {
    csrf.REASON_NO_CSRF_COOKIE: "浏览器没有带上安全验证信息。请确认浏览器允许本站保存网站数据，"
    "然后刷新页面重试。",
    csrf.REASON_CSRF_TOKEN_MISSING: "表单缺少安全验证信息。请刷新页面后重新提交。",
    csrf.REASON_NO_REFERER: "浏览器没有发送来源信息，无法核验这次请求。"
    "请检查浏览器的隐私设置后刷新页面重试。",
    csrf.REASON_MALFORMED_REFERER: "请求的来源信息格式不正确，已被拒绝。",
    csrf.REASON_INSECURE_REFERER: "来源页面不是加密连接，已被拒绝。请从本站页面重新操作。",
    csrf.REASON_BAD_ORIGIN: "请求的来源与本站地址不符，已被拒绝。请从本站页面重新操作。",
    csrf.REASON_BAD_REFERER: "请求的来源页面不在本站，已被拒绝。请从本站页面重新操作。",
}
CSRF_DEFAULT = "页面已过期或安全验证未通过（可能是停留时间过长或已在别处退出登录）。请刷新页面后重新提交。"


def _model_name(object_name: str) -> str | None:
    for model in apps.get_models():
        if model._meta.object_name == object_name:
            return str(model._meta.verbose_name)
    return None


def _not_found_object(message: str) -> str | None:
    """The model named by get_object_or_404's message ("No Project matches the given query.", or its
    translation "没有符合条件的Project。", which still carries the English class name)."""
    for template in {NOT_FOUND, gettext(NOT_FOUND)}:
        prefix, _, suffix = template.partition("%s")
        if message.startswith(prefix) and message.endswith(suffix) and len(message) > len(template) - 2:
            return message[len(prefix) : len(message) - len(suffix)]
    return None


def reason_of(exception, default: str) -> str:
    """The exception's message when it is Chinese, get_object_or_404's message with the model's Chinese
    name, else `default`."""
    if isinstance(exception, Resolver404):
        return "该网址不存在，请检查地址是否输入正确。"
    message = exception.args[0] if exception is not None and exception.args else None
    if not isinstance(message, str):
        return default
    object_name = _not_found_object(message)
    if object_name is not None:
        name = _model_name(object_name)
        return f"没有找到这条{name}记录，或您无权查看。" if name else default
    return message if CHINESE.search(message) else default


def _render(request, template_name: str, status_class, context: dict):
    template = loader.get_template(template_name)
    return status_class(template.render(context, request))


@requires_csrf_token
def bad_request(request, exception=None, template_name="400.html"):
    reason = reason_of(exception, "请求的内容无法处理，请检查后重试。")
    if is_api(request):  # issue 15: an API path answers JSON even when Django, not DRF, refuses it
        return api_error(CommonErrorCode.INVALID, reason, 400)
    return _render(request, template_name, HttpResponseBadRequest, {"reason": reason})


# --- security audit log (issue 15): every refusal answered here is recorded once, with its reason ---
def record_refusal(request, reason: str, **detail) -> None:
    match = getattr(request, "resolver_match", None)
    emit(
        EventKind.REFUSED,
        request=request,
        target=f"view:{match.view_name}" if match is not None and match.view_name else "",
        detail={"status": 403, "reason": reason, **detail},
        result=Result.REFUSED,
    )


# --- end security audit log ---


@requires_csrf_token
def permission_denied(request, exception=None, template_name="403.html"):
    reason = reason_of(exception, "您没有权限访问此页面。")
    record_refusal(request, reason)
    if is_api(request):  # issue 15: an API path answers JSON even when Django, not DRF, refuses it
        return api_error(CommonErrorCode.PERMISSION_DENIED, reason, 403)
    return _render(request, template_name, HttpResponseForbidden, {"reason": reason})


@requires_csrf_token
def page_not_found(request, exception=None, template_name="404.html"):
    reason = reason_of(exception, "您要找的页面不存在，或已被移走。")
    if is_api(request):  # issue 15: an API path answers JSON even when Django, not DRF, refuses it
        return api_error(CommonErrorCode.NOT_FOUND, reason, 404)
    return _render(request, template_name, HttpResponseNotFound, {"reason": reason})


# --- issue 15 (probes): a 500 is Chinese in every case, and JSON on the API --------------------------------
SERVER_ERROR_DETAIL = (
    "服务器处理请求时出错，已记录在系统日志中。请稍后重试；如果问题持续出现，请联系本级民生办或系统管理员。"
)
# What is left when even 500.html cannot be rendered (a broken template, a missing static manifest entry):
# no template, no static file, no database, so nothing of what just failed is needed to say so in Chinese.
SERVER_ERROR_FALLBACK = (
    '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">'
    "<title>系统出错 · 民生实事管理系统</title>"
    f"</head><body><h1>系统出错（500）</h1><p>{SERVER_ERROR_DETAIL}</p>"
    '<p><a href="/">返回首页</a></p></body></html>'
)
logger = logging.getLogger(__name__)


def is_api(request) -> bool:
    """An API request: its errors are JSON {code, detail} whoever answers them (DRF, or Django around it)."""
    return request.path_info.startswith("/api/")


def api_error(code: str, detail: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"code": code, "detail": detail}, status=status, json_dumps_params={"ensure_ascii": False}
    )


@requires_csrf_token
def server_error(request, template_name="500.html"):
    if is_api(request):
        return api_error(CommonErrorCode.SERVER_ERROR, SERVER_ERROR_DETAIL, 500)
    # No request context: the failure may be in what a context processor reads (the database, the session).
    try:
        body = loader.get_template(template_name).render({})
    except Exception:
        logger.exception("500.html could not be rendered; answering with the plain Chinese page")
        body = SERVER_ERROR_FALLBACK
    return HttpResponseServerError(body)


# --- end issue 15 (probes) ---------------------------------------------------------------------------------


def csrf_failure(request, reason: str = "", template_name="403_csrf.html"):
    """CSRF_FAILURE_VIEW: Django's reason (English) as a Chinese explanation."""
    explained = next(
        (text for known, text in CSRF_REASONS.items() if reason.startswith(known.split("%s")[0])),
        CSRF_DEFAULT,
    )
    context = {"reason": explained}
    record_refusal(request, explained, csrf=True)
    return _render(request, template_name, HttpResponseForbidden, context)
