"""Chinese unless the user chose otherwise; the doors of non-staff logins."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _

from core.selectors import user_is_worker, worker_may_open


class LocaleMiddleware(DjangoLocaleMiddleware):
    """The interface is Simplified Chinese by default; English only when the
    user picks it (the language cookie). The browser's Accept-Language is
    ignored: a city office's browsers are often set to English."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = dict(settings.LANGUAGES)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# Pages a login with a one-time password may still open.
PASSWORD_CHANGE_EXEMPT = {"password_change", "password_change_done", "logout", "login"}


class WorkerAccessMiddleware:
    """Two doors for logins that are not staff.

    A login whose password was issued by staff may open nothing but the
    password change page until it sets its own password. A worker's login may
    open only her own area and the few pages ``core.selectors`` names for her;
    every other page and download answers 403 (her home is her own area).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        if name in ("set_language", "javascript-catalog"):
            return None
        if user.must_change_password and name not in PASSWORD_CHANGE_EXEMPT:
            return redirect("password_change")
        if user_is_worker(user):
            if name == "core:home":
                return redirect("selfservice:home")
            if not worker_may_open(name):
                raise PermissionDenied(_("本人账号只能查看本人的工资信息。"))
        return None


class RejectNulMiddleware:
    """A NUL byte in a query string or form field answers 400.

    PostgreSQL refuses NUL in text, so an admin search box or a filter would
    otherwise raise a 500 deep in the database driver. One check here covers
    every search box, present and future.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.GET) or (
            request.method == "POST"
            and request.content_type
            in ("application/x-www-form-urlencoded", "multipart/form-data")
            and _has_nul(request.POST)
        ):
            return HttpResponseBadRequest(_("请求中含有不允许的字符。"))
        return self.get_response(request)


def _has_nul(data) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in data.lists()
    )


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is over ``MAX_REQUEST_BODY_SIZE``
    with 413 before any of the body is read (Django's own caps apply while it
    parses, after the upload has been received)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponseBadRequest(_("请求长度无效。"))
        if length > settings.MAX_REQUEST_BODY_SIZE:
            return HttpResponse(
                _("上传内容过大（上限 %(mb)s MB）。")
                % {"mb": settings.MAX_REQUEST_BODY_SIZE // (1024 * 1024)},
                status=413,
            )
        return self.get_response(request)
