"""Fail when an English catalogue is out of step with the code.

Runs ``makemessages -l en`` on a temporary copy of the project (the working
tree is never touched) and reports, per catalogue, the entries that are fuzzy,
untranslated (missing) or obsolete (in the catalogue, no longer in the code).
Also fails when a committed catalogue lacks a message the code now has.

    .venv/bin/python scripts/check_translations.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".git", ".venv", "node_modules", "staticfiles", "private_media", "media"}


def _ignore(directory: str, names: list[str]) -> set[str]:
    return {
        name
        for name in names
        if name in SKIP
        or name.endswith((".sqlite3", ".mo", ".pyc"))
        or name == "__pycache__"
    }


def _entries(po: Path, *flags: str) -> list[str]:
    """The msgids msgattrib selects with ``flags`` (header excluded)."""
    output = subprocess.run(
        ["msgattrib", "--no-wrap", *flags, str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    ids = []
    for line in output.splitlines():
        line = line.removeprefix("#~ ")
        if line.startswith("msgid ") and line != 'msgid ""':
            ids.append(line[len("msgid ") :])
    return ids


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="cpf-i18n-") as tmp:
        copy = Path(tmp) / "project"
        shutil.copytree(ROOT, copy, ignore=_ignore, symlinks=True)
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "en",
                "-v",
                "0",
            ],
            cwd=copy,
            check=True,
        )
        problems = 0
        for po in sorted(copy.rglob("locale/en/LC_MESSAGES/django.po")):
            name = po.relative_to(copy)
            checks = {
                "fuzzy": _entries(po, "--only-fuzzy", "--no-obsolete"),
                "untranslated": _entries(po, "--untranslated", "--no-obsolete"),
                "obsolete": _entries(po, "--only-obsolete"),
            }
            committed = ROOT / name
            if committed.exists():
                # makemessages merges into the committed file: an entry it had
                # to add was missing from the committed catalogue.
                known = set(_entries(committed, "--no-obsolete"))
                current = set(_entries(po, "--no-obsolete"))
                checks["missing from the committed file"] = sorted(current - known)
            else:
                checks["missing from the committed file"] = ["(whole catalogue)"]
            for kind, ids in checks.items():
                for msgid in ids:
                    print(f"{name}: {kind}: {msgid}")
                problems += len(ids)
        if problems:
            print(f"{problems} translation problem(s); fix the catalogues above.")
            return 1
        print("English catalogues are complete.")
        return 0


if __name__ == "__main__":
    sys.exit(main())
