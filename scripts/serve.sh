#!/usr/bin/env bash
# One command from a fresh clone to a running app with demo data on SQLite:
#   bash scripts/serve.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
PY=.venv/bin/python
$PY manage.py migrate --noinput -v0
$PY manage.py seed_demo
$PY manage.py compilemessages -v0 >/dev/null 2>&1 || true
echo
echo "Serving on http://127.0.0.1:8000/  (demo logins above, password Demo@2026)"
exec $PY manage.py runserver 127.0.0.1:8000
