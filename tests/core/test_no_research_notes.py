"""Users read the rule's name and its document, never the project's research
notes ("DOMAIN A4") or the web pages they came from."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

ROOT = Path(settings.BASE_DIR)
RESEARCH = re.compile(r"DOMAIN\s*[A-Z]\d|DOMAIN\b|educity|zgxfly", re.IGNORECASE)


def _files(pattern: str) -> list[Path]:
    return [
        path
        for path in ROOT.glob(pattern)
        if ".venv" not in path.parts and "node_modules" not in path.parts
    ]


@pytest.mark.parametrize(
    "pattern",
    [
        "templates/**/*.html",
        "*/templates/**/*.html",
        "*/locale/**/*.po",
        "locale/**/*.po",
    ],
)
def test_no_template_or_message_names_the_research(pattern):
    offenders = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for path in _files(pattern)
        for line in path.read_text(encoding="utf-8").splitlines()
        if RESEARCH.search(line) and not line.startswith("#")
    ]

    assert offenders == []


def test_no_shipped_reference_file_names_the_research():
    offenders = [
        str(path.relative_to(ROOT))
        for path in _files("fixtures/*")
        if path.suffix in {".json", ".csv"}
        and RESEARCH.search(path.read_text(encoding="utf-8"))
    ]

    assert offenders == []


@pytest.mark.django_db
def test_no_loaded_reference_note_names_the_research():
    call_command("load_reference", stdout=open("/dev/null", "w"))  # noqa: SIM115

    offenders = []
    for model in apps.get_models():
        notes = [
            f.name
            for f in model._meta.fields
            if f.name in {"source_note", "note", "description"}
        ]
        for name in notes:
            for value in model.objects.values_list(name, flat=True):
                if value and RESEARCH.search(str(value)):
                    offenders.append(f"{model._meta.label}.{name}: {value}")

    assert offenders == []
