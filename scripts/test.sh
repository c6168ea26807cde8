#!/usr/bin/env bash
# One command to set up what the tests need and run them all:
#   bash scripts/test.sh            (SQLite, tasks in-process)
# With DATABASE_URL / CELERY_BROKER_URL set, the same suite runs against them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
.venv/bin/python manage.py compilemessages -v0 >/dev/null 2>&1 || true
exec .venv/bin/python -m pytest tests -q "$@"
