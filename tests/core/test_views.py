import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_page_in_chinese_by_default(client):
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans"' in page and "政务服务" in page
    assert "https://" not in page.split("<body")[0]  # no CDN: every asset is local


def test_language_switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    page = response.content.decode()
    assert '<html lang="en"' in page and "Government Services Portal" in page


def test_large_text_toggle_round_trip(client):
    response = client.post(reverse("large_text_toggle"), {"next": "/"}, follow=True)
    assert 'class="large-text"' in response.content.decode()
    response = client.post(reverse("large_text_toggle"), {"next": "/"}, follow=True)
    assert 'class="large-text"' not in response.content.decode()


def test_large_text_toggle_refuses_foreign_redirects(client):
    response = client.post(reverse("large_text_toggle"), {"next": "https://evil.example.com/"})
    assert response.url == "/"


def test_unknown_page_is_a_chinese_404(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_healthz_ok_when_database_and_broker_are_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"},
                               "backlog": {"pending": 0, "oldest_seconds": 0}}


def test_healthz_names_the_broker_when_it_is_down(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.HEALTHZ_BROKER_TIMEOUT = 0.5
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"] == "ok" and body["checks"]["broker"].startswith("error")


def test_healthz_names_the_database_when_it_is_down(client, monkeypatch):
    from django.db.backends.base.base import BaseDatabaseWrapper

    def broken_cursor(self, *args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"].startswith("error")


def test_server_error_page_is_chinese(rf):
    from django.utils import translation

    from apps.core.views import error_500

    with translation.override("zh-hans"):
        response = error_500(rf.get("/"))
    assert response.status_code == 500 and "系统出现问题" in response.content.decode()


def test_no_asset_is_loaded_from_another_host(client):
    import re

    page = client.get("/").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(not s.startswith(("http://", "https://", "//")) for s in sources)
