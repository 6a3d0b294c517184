# Two commands: `make run` (install, migrate, demo data, start web + worker) and `make test` (the whole suite).
SHELL := /bin/bash
PY := .venv/bin/python
PORT ?= 8000

.PHONY: run test venv system-deps check-deploy messages

run:
	@scripts/run.sh

test: venv
	@scripts/test.sh

venv:
	@scripts/bootstrap.sh

system-deps:
	@scripts/bootstrap.sh --system-only

# Example values for the settings production requires (README § Production); the real ones come from the environment.
check-deploy: venv
	DJANGO_SECRET_KEY=check-deploy-$$(head -c 48 /dev/urandom | base64 | tr -dc a-zA-Z0-9) DJANGO_ALLOWED_HOSTS=portal.example.gov.cn \
	PORTAL_BASE_URL=$${PORTAL_BASE_URL:-https://portal.example.gov.cn} \
	DATABASE_URL=$${DATABASE_URL:-postgres://portal:portal@127.0.0.1:5432/portal} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0} REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/1} \
	DJANGO_SETTINGS_MODULE=portal.settings.production $(PY) manage.py check --deploy --fail-level WARNING

messages: venv
	cd . && $(PY) manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=tests && $(PY) manage.py compilemessages -l zh_Hans -l en --ignore=.venv
