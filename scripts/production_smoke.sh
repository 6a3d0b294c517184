#!/usr/bin/env bash
# CI step: build and start the production configuration as README § Production says — collectstatic, check --deploy,
# gunicorn under portal.settings.production behind the documented proxy headers — then request the home page, a
# static file and /healthz; fails unless each answers 200. Needs DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL
# (Redis), as CI provides them; everything it writes goes to a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
: "${DATABASE_URL:?DATABASE_URL (PostgreSQL) is needed}" "${CELERY_BROKER_URL:?CELERY_BROKER_URL (Redis) is needed}"
work=$(mktemp -d)
host=portal.example.gov.cn
export DJANGO_SETTINGS_MODULE=portal.settings.production
export DJANGO_SECRET_KEY="ci-$(head -c 64 /dev/urandom | base64 | tr -dc a-zA-Z0-9)"
export DJANGO_ALLOWED_HOSTS=$host PORTAL_BASE_URL=https://$host
export STATIC_ROOT=$work/static PRIVATE_MEDIA_ROOT=$work/private-media PORTAL_VAR_DIR=$work/var
# The throttles' shared cache (README § Production, Limits): the broker's Redis, another database number.
export REDIS_URL=${REDIS_URL:-${CELERY_BROKER_URL%/*}/14}

pid=
cleanup() {
  if [[ -n $pid ]]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "==> production: migrate, compilemessages, collectstatic, check --deploy"
$PY manage.py migrate --no-input -v0
$PY manage.py compilemessages -v0 --ignore=.venv
$PY manage.py collectstatic --no-input -v0
$PY manage.py check --deploy --fail-level WARNING

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
.venv/bin/gunicorn portal.wsgi --bind "127.0.0.1:$port" --workers 2 --threads 2 --access-logfile - \
  --error-logfile - > "$work/gunicorn.log" 2>&1 &
pid=$!

# The TLS-terminating proxy's headers (README § Production): the public host, the scheme, the client's address.
get() {
  curl -s -o "$work/body" -w '%{http_code}' --max-time 20 -H "Host: $host" -H "X-Forwarded-Proto: https" \
    -H "X-Forwarded-For: 203.0.113.7" "http://127.0.0.1:$port$1" || echo 000
}
for _ in $(seq 1 60); do [[ $(get /healthz) == 200 ]] && break; sleep 0.5; done

failed=0
check() {
  local code
  code=$(get "$1")
  echo "    $code $1"
  if [[ $code != 200 ]]; then failed=1; head -c 600 "$work/body" >&2 || true; echo >&2; fi
}
check /
# A static file as the home page names it (hashed by the manifest, served by WhiteNoise).
css=$(grep -o '/static/css/portal\.[0-9a-f]*\.css' "$work/body" | head -1 || true)
if [[ -z $css ]]; then echo "    the home page names no hashed /static/css/portal.*.css" >&2; failed=1; else check "$css"; fi
check /healthz
if ((failed)); then
  echo "CI: the production configuration did not answer 200 everywhere; gunicorn's log:" >&2
  tail -n 40 "$work/gunicorn.log" >&2
  exit 1
fi
echo "==> production configuration: /, $css and /healthz answer 200"
