"""Evidence for the reporter (issue 17, deliverable 4): the case page shows the reporter's own photos and the
handler's result photos, thumbnails opening full size, beside the rating form; the files are served only to the
reporter and the staff of the case, and a photo the handler kept for staff (faces, plates) is not served to the
reporter at all."""
import pytest
from django.db import connection
from django.urls import reverse

from apps.attachments.models import Attachment
from apps.grid.constants import RatingLevel
from tests.accounts.factories import CitizenFactory
from tests.workflow.door import outcome, press

from .factories import load_people, load_world, photo_report, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return load_people(load_world())


def _closed_with_photos(client, world, *, staff_only=False):
    case = photo_report(world, photos=[png("我拍的.png")])
    press(client, user=world["dispatcher"], obj=case, name="register")
    data = {"result": "已清运", "photo": png("处置后.png")}
    if staff_only:
        data["staff_only"] = "on"
    assert outcome(press(client, user=world["handler"], obj=case, name="handle", data=data)) == "done"
    assert outcome(press(client, user=world["member"], obj=case, name="verify_fixed")) == "done"
    case.refresh_from_db()
    return case


def _photo(case, purpose):
    return Attachment.objects.get(object_id=str(case.pk), purpose=purpose)


def test_the_reporter_sees_both_photos_beside_the_rating_form(client, world):
    case = _closed_with_photos(client, world)
    mine, result = _photo(case, "report"), _photo(case, "evidence")
    client.force_login(world["citizen"])
    page = client.get(reverse("grid:detail", args=[case.number])).content.decode()
    for attachment in (mine, result):
        full = reverse("attachments:download", args=[attachment.pk])
        assert f'<a href="{full}"><img src="{full}?thumb=1"' in page
    # The photos come before the rating form, in one block with it.
    assert "处置部门的处置后照片" in page and "您拍摄的照片" in page
    assert page.index(reverse("attachments:download", args=[result.pk])) < page.index('name="level"')
    for attachment in (mine, result):
        url = reverse("attachments:download", args=[attachment.pk])
        assert client.get(url).status_code == 200
        thumb = client.get(url + "?thumb=1")
        assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    client.post(reverse("grid:detail", args=[case.number]), {"level": RatingLevel.SATISFIED})
    case.refresh_from_db()
    assert case.rating.level == RatingLevel.SATISFIED


@pytest.mark.parametrize("who", [None, "other_citizen", "other_handler", "other_member"])
def test_nobody_else_gets_the_photos(client, world, who):
    case = _closed_with_photos(client, world)
    world["other_citizen"] = CitizenFactory()
    client.logout()
    if who:
        client.force_login(world[who])
    for purpose in ("report", "evidence"):
        url = reverse("attachments:download", args=[_photo(case, purpose).pk])
        assert client.get(url).status_code == 404, (who, purpose)
        assert client.get(url + "?thumb=1").status_code == 404, (who, purpose)
    if who == "other_citizen":
        assert client.get(reverse("grid:detail", args=[case.number])).status_code == 404


def test_a_photo_kept_for_staff_is_not_shown_nor_served_to_the_reporter(client, world):
    case = _closed_with_photos(client, world, staff_only=True)
    kept = _photo(case, "evidence_staff_only")
    url = reverse("attachments:download", args=[kept.pk])
    client.force_login(world["citizen"])
    page = client.get(reverse("grid:detail", args=[case.number])).content.decode()
    assert url not in page
    assert client.get(url).status_code == 404
    client.force_login(world["dispatcher"])
    assert client.get(url).status_code == 200
    assert url in client.get(reverse("admin:grid_gridcase_change", args=[case.pk])).content.decode()


def test_the_case_page_query_count_does_not_grow_with_photos(client, world, django_assert_max_num_queries):
    case = _closed_with_photos(client, world)
    client.force_login(world["citizen"])
    url = reverse("grid:detail", args=[case.number])
    connection.queries_log.clear()
    with django_assert_max_num_queries(40) as one:
        client.get(url)
    counted = len(one.captured_queries)
    from apps.attachments.services import image_attachment_create

    for n in range(2):
        image_attachment_create(obj=case, upload=png(f"补充{n}.png"), actor=world["handler"], purpose="evidence")
    connection.queries_log.clear()
    with django_assert_max_num_queries(counted):
        assert client.get(url).content.decode().count("?thumb=1") == 4
