"""随手拍 and the reporter's pages, the hotline lookup, the staff report forms; classification and duplicates."""
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.attachments.selectors import attachments_for_case
from apps.grid import selectors, services
from apps.grid.models import GridCase
from apps.workflow.services import transition_perform
from tests.accounts.factories import CitizenFactory

from .factories import load_people, load_world, photo_report, png, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return load_people(load_world())


def test_text_suggests_a_category_with_its_confidence(world):
    category, confidence = selectors.category_suggest(text="小区门口垃圾成堆，好几天没人清理")
    assert category.code == "1101" and 0 < confidence <= 1
    category, confidence = selectors.category_suggest(text="路边井盖丢失了，很危险")
    assert category.code == "1301"
    assert selectors.category_suggest(text="今天天气很好") == (None, 0.0)


def test_a_report_without_category_carries_the_suggestion_and_flags_duplicates(world):
    first = photo_report(world, category=None, description="垃圾成堆没人管")
    assert first.category is None and first.suggested_category.code == "1101" and first.suggestion_confidence
    second = photo_report(world, lat=41.1053, lng=122.0052)
    assert second.duplicate_of == first
    far = photo_report(world, lat=41.125, lng=122.045)
    assert far.duplicate_of is None


def test_citizen_reports_with_photos_and_follows_it(client, world):
    client.force_login(world["citizen"])
    response = client.post(reverse("grid:report"), {"description": "人行道井盖丢失", "lat": "41.105",
                                                    "lng": "122.005", "photos": [png()], "anonymous": "on"})
    case = GridCase.objects.get()
    assert response.url == reverse("grid:detail", args=[case.number])
    assert case.channel == "photo" and case.anonymous and case.grid == world["first_grid"]
    assert case.suggested_category.code == "1301"
    assert [a.purpose for a in attachments_for_case(obj=case)] == ["report"]
    page = client.get(response.url).content.decode()
    assert case.number in page and "已上报" in page
    assert case.number in client.get(reverse("grid:mine")).content.decode()
    client.force_login(CitizenFactory())
    assert client.get(reverse("grid:detail", args=[case.number])).status_code == 404


@pytest.mark.parametrize("data,words", [
    ({"lat": "39.9", "lng": "116.4"}, "不在本市范围内"),
    ({"lat": "41.1", "lng": ""}, "经度和纬度"),
    ({"photos": [SimpleUploadedFile("a.png", b"not an image", content_type="image/png")]}, "a.png"),
    ({"lat": "", "lng": "", "address": ""}, "请提供位置"),
])
def test_bad_reports_keep_what_was_typed(client, world, data, words):
    client.force_login(world["citizen"])
    form = {"description": "我写的描述还在", "lat": "41.105", "lng": "122.005", **data}
    response = client.post(reverse("grid:report"), form)
    page = response.content.decode()
    assert response.status_code == 400 and words in page and "我写的描述还在" in page
    assert not GridCase.objects.exists()


def test_reporter_rates_on_the_page(client, world):
    case = register(actor=world["dispatcher"], case=photo_report(world))
    case = transition_perform(actor=world["handler"], obj=case, name="handle", params=services.Handling(result="已清运"))
    case = transition_perform(actor=world["member"], obj=case, name="verify_fixed")
    client.force_login(world["citizen"])
    url = reverse("grid:detail", args=[case.number])
    assert "已清运" in client.get(url).content.decode()
    assert client.post(url, {"level": "satisfied", "comment": "很快"}).status_code == 302
    assert GridCase.objects.get(pk=case.pk).rating.level == "satisfied"


def test_hotline_caller_looks_up_by_number_and_phone(client, world):
    case = services.case_report(channel="hotline", description="路灯不亮", address="市府大路",
                                reporter_phone="13800000009", entered_by=world["dispatcher"])
    url = reverse("grid:lookup")
    assert "路灯不亮" in client.get(url, {"number": case.number, "phone": "13800000009"}).content.decode()
    response = client.get(url, {"number": case.number, "phone": "13800000000"})
    assert response.status_code == 404 and "路灯不亮" not in response.content.decode()


def test_grid_member_reports_from_the_admin_in_own_grids_only(client, world):
    client.force_login(world["member"])
    url = reverse("admin:grid_gridcase_report", args=["patrol"])
    page = client.get(url).content.decode()
    assert world["first_grid"].name in page and world["other_grid"].name not in page
    response = client.post(url, {"description": "占道经营", "urgency": "normal", "lat": "41.105", "lng": "122.005",
                                 "photo": png()})
    assert response.status_code == 302
    case = GridCase.objects.get()
    assert case.channel == "patrol" and case.reporter == world["member"] and case.suggested_category.code == "1201"
    assert client.get(reverse("admin:grid_gridcase_report", args=["hotline"])).status_code == 403


def test_hotline_entry_needs_the_callers_phone(client, world):
    client.force_login(world["dispatcher"])
    url = reverse("admin:grid_gridcase_report", args=["hotline"])
    response = client.post(url, {"description": "燃气泄漏味道很大", "urgency": "urgent", "address": "兴隆街1号"})
    assert response.status_code == 200 and not GridCase.objects.exists()
    assert client.post(url, {"description": "燃气泄漏味道很大", "urgency": "urgent", "address": "兴隆街1号",
                             "caller_phone": "13800000009"}).status_code == 302
    case = GridCase.objects.get()
    assert case.channel == "hotline" and case.reporter_phone == "13800000009" and case.urgency == "urgent"
    assert case.suggested_category.code == "1602"
    assert client.get(reverse("admin:grid_gridcase_report", args=["other"])).status_code == 404


def test_the_report_form_asks_for_an_address_and_groups_the_categories(client, world):
    """Citizens are not asked for 纬度/经度 (hidden, filled by the locate button); the categories come grouped under
    their parents in code order, not as one long list (issue 19)."""
    client.force_login(world["citizen"])
    page = client.get(reverse("grid:report")).content.decode()
    assert 'type="hidden" name="lat"' in page and 'type="hidden" name="lng"' in page
    assert "纬度" not in page and "经度" not in page
    assert "位置（地址或标志物）" in page
    groups = re.findall(r'<optgroup label="([^"]+)">', page)
    parents = selectors.services_active().values_list("parent_id", flat=True)
    assert len(groups) == len(set(parents)) > 3
    assert all("·" in label for label in groups)  # 部件 · … / 事件 · …


def test_refused_coordinates_are_shown_at_the_address_and_dropped(client, world):
    client.force_login(world["citizen"])
    response = client.post(reverse("grid:report"), {"description": "我写的描述还在", "address": "兴隆台街12号",
                                                    "lat": "39.9", "lng": "116.4"})
    page = response.content.decode()
    assert response.status_code == 400
    assert re.search(r'<p class="error" id="id_address_error">.*不在本市范围内', page)
    assert 'href="#id_address"' in page and "<title>错误：" in page
    assert 'name="lat" value="39.9"' not in page and "兴隆台街12号" in page  # the next press counts the address


def test_a_report_refused_names_the_photo_to_choose_again(client, world):
    client.force_login(world["citizen"])
    response = client.post(reverse("grid:report"), {"description": "", "address": "兴隆台街12号",
                                                    "photos": [png()]})
    page = response.content.decode()
    assert response.status_code == 400
    assert "请描述问题：出了什么问题，在哪里。" in page  # the field's own message, not Django's stock one
    assert "请重新为“照片（JPEG或PNG，最多3张）”选择文件" in page
    assert not GridCase.objects.exists()


def test_a_rating_without_a_level_keeps_the_comment_and_the_next_step_stops_asking(client, world):
    case = register(actor=world["dispatcher"], case=photo_report(world))
    case = transition_perform(actor=world["handler"], obj=case, name="handle", params=services.Handling(result="已清运"))
    case = transition_perform(actor=world["member"], obj=case, name="verify_fixed")
    client.force_login(world["citizen"])
    url = reverse("grid:detail", args=[case.number])
    assert "请在下方评价" in client.get(url).content.decode()
    response = client.post(url, {"comment": "很快，谢谢"})
    page = response.content.decode()
    assert response.status_code == 200 and "很快，谢谢" in page and "请选择处置结果" in page
    assert 'href="#id_level_0"' in page
    client.post(url, {"level": "satisfied", "comment": "很快，谢谢"})
    page = client.get(url).content.decode()
    assert "感谢您的评价" in page and "请在下方评价" not in page


def test_the_confirmation_says_what_happens_next_and_by_when(client, world):
    client.force_login(world["citizen"])
    response = client.post(reverse("grid:report"), {"description": "人行道井盖丢失", "address": "兴隆台街12号",
                                                    "lat": "41.105", "lng": "122.005"})
    case = GridCase.objects.get()
    page = client.get(response.url).content.decode()
    due = timezone.localtime(case.due_at).strftime("%Y-%m-%d %H:%M")
    assert f"网格中心将在 {due} 前核实并立案" in page


def test_an_expired_session_keeps_the_report_typed_and_names_the_photo(client, world):
    url = reverse("grid:report")
    response = client.post(url, {"description": "路灯不亮好几天了", "address": "兴隆台街12号", "photos": [png()]})
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    client.force_login(world["citizen"])
    page = client.get(url).content.decode()
    assert "路灯不亮好几天了" in page and "兴隆台街12号" in page
    assert not GridCase.objects.exists()
