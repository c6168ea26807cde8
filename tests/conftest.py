"""Project-wide test set-up: fast hashing, eager tasks, private media in tmp."""

from __future__ import annotations

import io
import os

import pytest

from config.celery import app as celery_app


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    settings.MEDIA_ROOT = settings.PRIVATE_MEDIA_ROOT
    # Tests start from the bare demo city; the demo's past has its own tests.
    settings.DEMO_HISTORY = False


@pytest.fixture(autouse=True)
def _eager_celery(request):
    """Tasks run in-process unless the test is marked ``real_worker``.

    A real worker cannot see rows inside a test's transaction, so only tests
    that commit (transactional_db) and are marked talk to the broker.
    """
    if request.node.get_closest_marker("real_worker"):
        if not os.environ.get("CELERY_BROKER_URL"):
            pytest.skip("needs CELERY_BROKER_URL and a running Celery worker")
        celery_app.conf.task_always_eager = False
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager = previous


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    vendor = settings.DATABASES["default"]["ENGINE"]
    for item in items:
        if item.get_closest_marker("postgres") and "postgresql" not in vendor:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL"))


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language (a request may switch it)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def city(request):
    """A demo city made by ``seed_demo`` and two city-wide finance officers:
    ``maker`` computes payroll cycles and ``checker`` approves them.

    4 communities of 5 workers from seed 3, unless the test (or its module)
    is marked ``@pytest.mark.city(communities=..., workers_per_community=...,
    seed=...)``. The test must have database access.
    """
    from django.core.management import call_command

    from core.models import Role
    from tests.factories import UserFactory

    size = {"communities": 4, "workers_per_community": 5, "seed": 3}
    marker = request.node.get_closest_marker("city")
    if marker is not None:
        size.update(marker.kwargs)
    call_command(
        "seed_demo",
        "--communities", str(size["communities"]),
        "--workers-per-community", str(size["workers_per_community"]),
        "--seed", str(size["seed"]),
        stdout=io.StringIO(),
    )  # fmt: skip
    return {
        "maker": UserFactory(role=Role.FINANCE),
        "checker": UserFactory(role=Role.FINANCE),
    }
