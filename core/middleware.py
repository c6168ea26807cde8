"""Chinese unless the user chose otherwise; the doors of non-staff logins."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
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
