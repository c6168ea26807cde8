"""Error pages in the site's layout and the user's language, with the reason.

Django's own handlers render bare English pages and drop the reason a view gave
(``PermissionDenied("工资周期审核后才能生成银行代发文件。")``); these keep it,
because a refused user needs to know why and where to go next.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

TITLE_400 = _("请求无法处理")
TEXT_400 = _("页面收到的请求不完整或有误。请返回上一页重新操作。")
TITLE_403 = _("您没有权限执行此操作")
TEXT_403 = _("您的角色或管理范围不包括这一页面或操作。")
TITLE_404 = _("找不到页面")
TEXT_404 = _("您要找的页面不存在，或不在您的管理范围内。")
TITLE_500 = _("系统出错了")
TEXT_500 = _(
    "系统处理时出错，已记录下来。请稍后再试；如果问题仍然存在，请联系系统管理员。"
)
TITLE_CSRF = _("表单已过期")
TEXT_CSRF = _(
    "为了安全，表单在页面打开太久或登录状态变化后失效。请返回上一页，刷新后重新提交。"
)


def exception_reason(exception: Any) -> str:
    """The message a view raised with, or "" when it gave none.

    Only ``PermissionDenied`` messages are written for users; a 404's message
    ("No Worker matches the given query.") is for developers and stays hidden.
    """
    if exception is None or not exception.args:
        return ""
    reason = exception.args[0]
    if isinstance(reason, (list, tuple)):
        reason = " ".join(str(part) for part in reason)
    return str(reason).strip()


def _render(
    request: HttpRequest,
    *,
    status: int,
    title: Any,
    text: Any,
    reason: str = "",
) -> HttpResponse:
    context = {
        "status": status,
        "title": title,
        "text": text,
        "reason": reason,
        "back_url": _safe_referer(request),
    }
    try:
        body = loader.render_to_string("errors/error.html", context, request=request)
    except Exception:  # the layout itself failed: fall back to a page without it
        logger.exception("error page %s could not use the layout", status)
        body = loader.render_to_string("errors/plain.html", context)
    return HttpResponse(body, status=status)


def _safe_referer(request: HttpRequest) -> str:
    """The page the user came from, when it is on this site; else ""."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return ""


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _render(request, status=400, title=TITLE_400, text=TEXT_400)


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _render(
        request,
        status=403,
        title=TITLE_403,
        text=TEXT_403,
        reason=exception_reason(exception),
    )


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _render(request, status=404, title=TITLE_404, text=TEXT_404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _render(request, status=500, title=TITLE_500, text=TEXT_500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: Django's reason ("CSRF token missing") is for the log,
    the user reads what to do."""
    logger.warning("CSRF failure on %s: %s", request.path, reason)
    return _render(request, status=403, title=TITLE_CSRF, text=TEXT_CSRF)
