import os
import subprocess
import sys

from django.conf import settings


def _check_deploy(**environ):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL", "CACHE_URL")}
    env = {**env, "DJANGO_SETTINGS_MODULE": "portal.settings.production",
           "DJANGO_SECRET_KEY": "x" * 20 + "-check-deploy-" + "y" * 30, "DJANGO_ALLOWED_HOSTS": "portal.example.gov.cn",
           **environ}
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=settings.BASE_DIR, env=env, capture_output=True, text=True)


def test_production_settings_pass_check_deploy():
    result = _check_deploy(REDIS_URL="redis://127.0.0.1:6379/1")  # the check reads the setting, connects to nothing
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_asks_for_a_shared_cache_for_the_throttles():
    result = _check_deploy()
    assert result.returncode != 0 and "portal.W001" in result.stdout + result.stderr


def _cache_under(module, **environ):
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CACHE_URL")}
    env.update({"DJANGO_SETTINGS_MODULE": module, "DJANGO_SECRET_KEY": "x" * 50, "PORTAL_VAR_DIR": "/tmp/portal-var",
                **environ})
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
                "DJANGO_ALLOWED_HOSTS": "portal.example.gov.cn", **environ})
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
