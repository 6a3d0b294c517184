import os
import subprocess
import sys

import pytest
from django.conf import settings


# What the README's production section requires (example values; nothing connects to them during `check`).
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production", "DJANGO_SECRET_KEY": "x" * 20 + "-check-deploy-" + "y" * 30,
    "DJANGO_ALLOWED_HOSTS": "portal.example.gov.cn", "PORTAL_BASE_URL": "https://portal.example.gov.cn",
    "DATABASE_URL": "postgres://portal:portal@db.example.gov.cn:5432/portal",
    "CELERY_BROKER_URL": "redis://redis.example.gov.cn:6379/0", "REDIS_URL": "redis://redis.example.gov.cn:6379/1",
}


def _check_deploy(**environ):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL", "CACHE_URL")}
    env.update({**PRODUCTION_ENV, **environ})
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=settings.BASE_DIR, env=env, capture_output=True, text=True)


def test_production_requires_the_portal_base_url():
    result = _check_deploy(PORTAL_BASE_URL=None)
    assert result.returncode != 0 and "PORTAL_BASE_URL must be set in production" in result.stderr


@pytest.mark.parametrize("url, words", [
    ("http://127.0.0.1:8000", "does not start with https://"),
    ("https://localhost:8443", "loopback"),
    ("https://[::1]", "loopback"),
    ("http://portal.example.gov.cn", "does not start with https://"),
    ("https://portal.example.gov.cn/portal?x=1", "path, query or fragment"),
])
def test_check_deploy_refuses_a_base_url_citizens_cannot_use(url, words):
    result = _check_deploy(PORTAL_BASE_URL=url)
    assert result.returncode != 0 and "portal.E001" in result.stderr + result.stdout and words in result.stderr


@pytest.mark.parametrize("name, value, check", [
    ("DATABASE_URL", None, "portal.E003"),
    ("CELERY_BROKER_URL", None, "portal.E004"),
    ("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1", "portal.E002"),
    ("DJANGO_ALLOWED_HOSTS", "*", "portal.E002"),
])
def test_check_deploy_refuses_each_required_setting_left_at_its_default(name, value, check):
    result = _check_deploy(**{name: value})
    assert result.returncode != 0 and check in result.stderr


def test_make_run_derives_the_base_url_from_its_port():
    script = (settings.BASE_DIR / "scripts" / "run.sh").read_text(encoding="utf-8")
    assert 'export PORTAL_BASE_URL=${PORTAL_BASE_URL:-http://127.0.0.1:${PORT}}' in script
    assert script.index("PORTAL_BASE_URL") < script.index("gunicorn")


def test_production_settings_pass_check_deploy():
    result = _check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_asks_for_a_shared_cache_for_the_throttles():
    result = _check_deploy(REDIS_URL=None)
    assert result.returncode != 0 and "portal.W001" in result.stdout + result.stderr


def _cache_under(module, **environ):
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CACHE_URL")}
    env.update({"DJANGO_SETTINGS_MODULE": module, "DJANGO_SECRET_KEY": "x" * 50, "PORTAL_VAR_DIR": "/tmp/portal-var",
                "PORTAL_BASE_URL": "https://portal.example.gov.cn", **environ})
    code = ("from django.conf import settings; c = settings.CACHES['default']; "
            "print(c['BACKEND'].rsplit('.', 1)[-1], c.get('LOCATION', ''), settings.PORTAL_TRUSTED_PROXY_COUNT)")
    result = subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_the_cache_is_shared_between_processes():
    """Redis from the environment, else a file cache under VAR_DIR (web and worker of `make run`); production trusts
    one proxy for the client's address, development none."""
    assert _cache_under("portal.settings.dev") == ["FileBasedCache", "/tmp/portal-var/cache", "0"]
    assert _cache_under("portal.settings.dev", REDIS_URL="redis://127.0.0.1:6379/1") == [
        "RedisCache", "redis://127.0.0.1:6379/1", "0"]
    assert _cache_under("portal.settings.production", CACHE_URL="redis://cache:6379/2")[::2] == ["RedisCache", "1"]


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings.production"
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def _debug_under(module, **environ):
    """settings.DEBUG as a fresh process sees it: pytest-django forces DEBUG off in this one, whatever the settings say."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"}
    env.update({"DJANGO_SETTINGS_MODULE": module, "DJANGO_SECRET_KEY": "x" * 50,
                "DJANGO_ALLOWED_HOSTS": "portal.example.gov.cn", "PORTAL_BASE_URL": "https://portal.example.gov.cn",
                **environ})
    result = subprocess.run([sys.executable, "-c", "from django.conf import settings; print(settings.DEBUG)"],
                            cwd=settings.BASE_DIR, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_debug_is_off_unless_asked_for():
    assert _debug_under("portal.settings.dev") == "False"
    assert _debug_under("portal.settings.dev", DJANGO_DEBUG="1") == "True"
    assert _debug_under("portal.settings.production", DJANGO_DEBUG="1") == "False"


def test_migrations_match_the_models_and_name_no_machine_path():
    from pathlib import Path

    result = subprocess.run([sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
                            cwd=settings.BASE_DIR, capture_output=True, text=True,
                            env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.dev"})
    assert result.returncode == 0, result.stdout + result.stderr
    for migration in Path(settings.BASE_DIR, "apps").glob("*/migrations/*.py"):
        assert str(settings.BASE_DIR) not in migration.read_text(encoding="utf-8"), migration
