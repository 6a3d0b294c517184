"""Complete English (issue 19, deliverable 5): the main pages, switched to English the way a person does (the
English button posts to Django's set_language), carry no Chinese outside proper names and data — which the
templates mark lang="zh-Hans" (or data-i18n-exempt). Messages, timelines and notices stored in Chinese at the time
they were written read in English too."""
import pytest
from django.urls import reverse

from tests.site_pages import CJK, cjk_outside_data, site_build

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module (load_demo takes seconds) in a transaction rolled back at its end; the tests only
    read."""
    from django.db import transaction
    from django.test import override_settings

    media = tmp_path_factory.mktemp("private-media")
    with django_db_blocker.unblock(), override_settings(PRIVATE_MEDIA_ROOT=media, MEDIA_ROOT=media):
        with transaction.atomic():
            yield site_build()
            transaction.set_rollback(True)


def _english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def _walk(client, urls):
    problems = []
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, f"{name} {url}: {response.status_code}"
        assert response.headers["Content-Language"] == "en", name
        for text in cjk_outside_data(response.content.decode()):
            problems.append(f"{name} {url}: {text[:120]!r}")
    return problems


def test_the_checker_finds_chinese_and_skips_marked_data():
    html = ('<html><head><title>申请 · Panjin</title></head><body><p>Hello <span lang="zh-Hans">盘锦市</span> '
            'world</p><button value="x" aria-label="关闭">x</button><td data-i18n-exempt>张三</td></body></html>')
    assert cjk_outside_data(html) == ["申请 · Panjin", "关闭"]
    assert not CJK.search("Panjin Municipal People's Government")


def test_public_pages_read_in_english(client, site):
    problems = _walk(_english(client), site.urls)
    assert not problems, "\n".join(problems)


def test_a_citizens_pages_read_in_english(client, site):
    client.force_login(site.citizen)
    problems = _walk(_english(client), site.citizen_urls)
    assert not problems, "\n".join(problems)


def test_an_enterprises_pages_read_in_english(client, site):
    client.force_login(site.enterprise)
    problems = _walk(_english(client), site.enterprise_urls)
    client.force_login(site.applicant)
    problems += _walk(_english(client), site.applicant_urls)
    assert not problems, "\n".join(problems)


def test_the_back_offices_front_door_reads_in_english_for_each_role(client, site):
    """The clerk's dashboard, and the dispatcher's, acceptance officer's, disclosure officer's, reviewer's and grid
    member's."""
    problems = []
    for user in site.staff:
        client.force_login(user)
        problems += [f"{user.username}: {p}" for p in _walk(_english(client), site.admin_urls)]
    assert not problems, "\n".join(problems)


def test_errors_and_a_missing_page_read_in_english(client, site):
    """A form sent empty: the error summary, each field's message and the title's prefix are English."""
    client.force_login(site.citizen)
    _english(client)
    problems = []
    for url, data in ((reverse("grid:report"), {"description": ""}),
                      (reverse("information_requests:new"), {"description": ""}),
                      (site.citizen_urls["apply: applicant"], {"phone": ""})):
        response = client.post(url, data)
        assert response.status_code in (200, 400), url
        page = response.content.decode()
        assert "<title>Error: " in page, url
        problems += [f"{url}: {t}" for t in cjk_outside_data(page)]
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    problems += [f"404: {t}" for t in cjk_outside_data(missing.content.decode())]
    assert not problems, "\n".join(problems)


def test_the_chinese_site_stays_chinese(client, site):
    """The default is untouched: the same pages in Chinese still say 盘锦市 and 政务服务."""
    page = client.get("/").content.decode()
    assert "盘锦市" in page and "政务服务" in page


def test_the_admin_timeline_reads_in_the_readers_language(client, site):
    """The labels were stored in Chinese when the applicant and the clerk acted; a clerk reading in English sees
    them in English."""
    from apps.applications.models import Application

    application = Application.objects.filter(applicant=site.citizen).exclude(reference="").first()
    client.force_login(site.clerk)
    _english(client)
    page = client.get(reverse("admin:applications_application_change", args=[application.pk])).content.decode()
    assert "Supplementation requested (all items at once)" in page
    assert "一次性告知补正材料" not in page
