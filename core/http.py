"""The request a view sees once ``login_required`` has let it through."""

from __future__ import annotations

from django.http import HttpRequest

from core.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """Annotation only: behind ``login_required`` the user is a ``User``,
    never ``AnonymousUser`` (django-stubs' documented pattern)."""

    user: User
