#!/usr/bin/env bash
# `make test`: the whole suite. SQLite by default; PostgreSQL when DATABASE_URL is set; Redis for the Celery worker
# tests when CELERY_BROKER_URL is set. Browser tests run when Debian's Chromium is installed (always in CI).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python manage.py compilemessages -v0 --ignore=.venv
mkdir -p var
exec .venv/bin/pytest --junitxml=var/test-junit.xml "$@"
