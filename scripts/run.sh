#!/usr/bin/env bash
# `make run`: from a fresh clone to a running portal (web + Celery worker with beat). Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-portal.settings.dev}
PORT=${PORT:-8000}
# The address printed into PDF QR codes and e-mail links: the one this run serves, unless one is given.
export PORTAL_BASE_URL=${PORTAL_BASE_URL:-http://127.0.0.1:${PORT}}
started=$(date +%s)

scripts/bootstrap.sh
mkdir -p var/celery/broker var/celery/processed var/private-media
PY=.venv/bin/python
echo "==> migrating the database"
$PY manage.py migrate --no-input -v0
echo "==> compiling translations"
$PY manage.py compilemessages -v0 --ignore=.venv
echo "==> loading reference and demo data"
$PY manage.py load_demo

pids=()
cleanup() {
  # Stop the children first: the terminal (or a pipe such as `| tee`) may already be gone, and a write to it
  # must not kill this script before the web server and the worker are stopped.
  trap - INT TERM EXIT
  trap '' PIPE
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "==> stopped" 2>/dev/null || true
}
trap cleanup INT TERM EXIT

.venv/bin/celery -A portal worker --beat --loglevel=INFO --concurrency=1 --pool=solo \
  --schedule=var/celery/beat-schedule > var/celery/worker.log 2>&1 &
pids+=($!)
.venv/bin/gunicorn portal.wsgi --bind "127.0.0.1:${PORT}" --workers 2 --threads 4 --graceful-timeout 5 --access-logfile - \
  --error-logfile - > var/web.log 2>&1 &
pids+=($!)

for _ in $(seq 1 60); do
  curl -fsS -o /dev/null "http://127.0.0.1:${PORT}/healthz" 2>/dev/null && break
  sleep 0.5
done
echo
echo "============================================================"
echo " Portal:     http://127.0.0.1:${PORT}/"
echo " Back office http://127.0.0.1:${PORT}/admin/"
echo " Health:     http://127.0.0.1:${PORT}/healthz"
echo " Broker:     ${CELERY_BROKER_URL:-filesystem (var/celery)}   logs: var/web.log, var/celery/worker.log"
echo " Ready in $(( $(date +%s) - started )) s"
echo "============================================================"
$PY manage.py demo_accounts
echo "Ctrl-C stops the portal and its worker."
wait -n "${pids[@]}"
