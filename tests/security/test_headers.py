"""Security headers: a Content Security Policy without inline script."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from core.models import Role
from tests.factories import UserFactory

TEMPLATE_DIRS = [
    Path(settings.BASE_DIR) / "templates",
    *Path(settings.BASE_DIR).glob("*/templates"),
]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_ATTRIBUTE = re.compile(r"<[^>]+\s on[a-z]+\s*=", re.I | re.X)


@pytest.mark.django_db
def test_pages_send_a_policy_that_forbids_inline_script(client):
    client.force_login(UserFactory(role=Role.CITY_STAFF))
    response = client.get(reverse("core:home"))
    policy = response["Content-Security-Policy"]
    script_src = next(
        part for part in policy.split(";") if part.strip().startswith("script-src")
    )
    assert "'self'" in script_src
    assert "unsafe-inline" not in script_src
    assert "object-src 'none'" in policy


def test_no_template_has_inline_script_or_event_handler_attributes():
    offenders = []
    for folder in TEMPLATE_DIRS:
        for path in folder.rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            if INLINE_SCRIPT.search(text) or EVENT_ATTRIBUTE.search(text):
                offenders.append(str(path.relative_to(settings.BASE_DIR)))
    assert offenders == []


def test_request_size_caps_are_set():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2 * 1024 * 1024
    assert settings.MAX_REQUEST_BODY_SIZE <= 20 * 1024 * 1024
    assert settings.MIDDLEWARE[0] == "core.middleware.RequestSizeLimitMiddleware"
