"""Open311 GeoReport v2: answers validated against the community's JSON schemas (../shared/open311-georeport-v2/),
errors in the specification's form."""
import datetime as dt
import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from apps.grid.models import GridCase, Open311Client

from .factories import load_world

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "open311_schemas"  # copied from ../shared/open311-georeport-v2/
BASE = "/open311/v2"


def _schemas():
    schemas = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in SCHEMAS.glob("*.json")}
    assert len(schemas) == 5
    registry = Registry().with_resources(
        (name, Resource.from_contents(schema, default_specification=DRAFT7)) for name, schema in schemas.items())
    return schemas, registry


def validate(data, schema_name):
    schemas, registry = _schemas()
    errors = list(Draft7Validator(schemas[schema_name], registry=registry,
                                  format_checker=Draft7Validator.FORMAT_CHECKER).iter_errors(data))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


@pytest.fixture
def world(db):
    return load_world()


def post(client, world, **params):
    data = {"api_key": world["key"], "service_code": "1101", "lat": "41.105", "long": "122.005",
            "description": "小区门口有一堆暴露垃圾", **params}
    return client.post(f"{BASE}/requests.json", {k: v for k, v in data.items() if v is not None})


def test_services_and_definitions_follow_the_schemas(client, world):
    services = client.get(f"{BASE}/services.json").json()
    validate(services, "services.json")
    assert len(services) >= 30
    garbage = next(s for s in services if s["service_code"] == "1101")
    assert garbage["service_name"] == "市容环境/暴露垃圾" and garbage["group"] == "市容环境"
    definition = client.get(f"{BASE}/services/1101.json").json()
    validate(definition, "service-definition.json")
    missing = client.get(f"{BASE}/services/9999.json")
    assert missing.status_code == 404 and missing.json()[0]["code"] == 404


def test_post_then_read_back(client, world):
    response = post(client, world, email="someone@example.com", first_name="三", last_name="张",
                    media_url="https://example.com/photo.jpg")
    assert response.status_code == 200
    number = response.json()[0]["service_request_id"]
    assert number.startswith("WG")
    case = GridCase.objects.get(number=number)
    assert case.grid == world["first_grid"] and case.department.code == "xinglongtai-urban-management"
    assert case.reporter_name == "张 三" and case.channel == "open311"
    assert Open311Client.objects.get(api_key=world["key"]).last_used_at is not None
    one = client.get(f"{BASE}/requests/{number}.json").json()
    validate(one, "requests.json")
    assert one[0]["service_code"] == "1101" and one[0]["status"] == "open" and one[0]["lat"] == 41.105
    listing = client.get(f"{BASE}/requests.json", {"service_request_id": f"{number},NOPE"}).json()
    validate(listing, "requests.json")
    assert [r["service_request_id"] for r in listing] == [number]


def test_requests_filters(client, world):
    first = post(client, world).json()[0]["service_request_id"]
    second = post(client, world, service_code="1301", description="井盖丢失").json()[0]["service_request_id"]
    url = f"{BASE}/requests.json"
    assert {r["service_request_id"] for r in client.get(url).json()} == {first, second}
    assert [r["service_request_id"] for r in client.get(url, {"service_code": "1301"}).json()] == [second]
    assert len(client.get(url, {"status": "open"}).json()) == 2
    assert client.get(url, {"status": "closed"}).json() == []
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert client.get(url, {"start_date": f"{tomorrow}T00:00:00+08:00"}).json() == []
    bad = client.get(url, {"start_date": "yesterday"})
    assert bad.status_code == 400 and "start_date" in bad.json()[0]["description"]
    assert client.get(url, {"status": "pending"}).status_code == 400


@pytest.mark.parametrize("params,status,words", [
    ({"api_key": None}, 403, "api_key"),
    ({"api_key": "wrong"}, 403, "api_key"),
    ({"service_code": "9999"}, 404, "9999"),
    ({"service_code": ""}, 400, "service_code"),
    ({"lat": "31.23", "long": "121.47"}, 400, "lat/long"),
    ({"lat": "north"}, 400, "lat"),
    ({"lat": None}, 400, "lat/long"),
    ({"description": " "}, 400, "description"),
    ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
])
def test_bad_posts_answer_in_the_spec_form_and_save_nothing(client, world, params, status, words):
    response = post(client, world, **params)
    assert response.status_code == status
    body = response.json()
    assert isinstance(body, list) and body[0]["code"] == status and words in body[0]["description"]
    assert not GridCase.objects.exists()


def test_unknown_format_and_request(client, world):
    assert client.get(f"{BASE}/services.xml").json()[0]["code"] == 400
    response = client.get(f"{BASE}/requests/WG0.json")
    assert response.status_code == 404 and response.json()[0]["code"] == 404


def test_inactive_client_is_refused(client, world):
    Open311Client.objects.update(is_active=False)
    assert post(client, world).status_code == 403


# --- privacy of the GET (issue 14) ------------------------------------------------------------------------------

SECRET_WORDS = "小区门口有一堆暴露垃圾，联系我13912345678，身份证211103198501010011"
HOUSE = "兴隆台区兴隆街道惠宾小区5号楼3单元"


def _every_answer(client, number):
    """The case as a stranger can reach it: the listing, the listing by id and the single request."""
    listing = client.get(f"{BASE}/requests.json").json()
    by_id = client.get(f"{BASE}/requests.json", {"service_request_id": number}).json()
    one = client.get(f"{BASE}/requests/{number}.json")
    return listing, by_id, one


@pytest.fixture
def people(world, roles):
    from .factories import load_people

    return load_people(world)


def _private_cases(people):
    from apps.grid import services
    from apps.grid.constants import Channel

    from .factories import photo_report

    client = Open311Client.objects.get(api_key=people["key"])
    return {
        "snapshot": photo_report(people, description=SECRET_WORDS, address=HOUSE),
        "anonymous_snapshot": photo_report(people, description=SECRET_WORDS, anonymous=True),
        "hotline": services.case_report(channel=Channel.HOTLINE, description=SECRET_WORDS, lat=41.105, lng=122.005,
                                        category=people["garbage"], reporter_phone="13912345678",
                                        reporter_name="王来电", entered_by=people["dispatcher"]),
        "anonymous_open311": services.case_report(channel=Channel.OPEN311, description=SECRET_WORDS, lat=41.105,
                                                  lng=122.005, category=people["garbage"], open311_client=client,
                                                  anonymous=True),
    }


@pytest.mark.parametrize("kind", ["snapshot", "anonymous_snapshot", "hotline", "anonymous_open311"])
def test_cases_the_site_keeps_private_are_never_answered(client, people, kind):
    case = _private_cases(people)[kind]
    listing, by_id, one = _every_answer(client, case.number)
    assert case.number not in json.dumps(listing) and by_id == []
    assert one.status_code == 404 and one.json() == [{"code": 404,
                                                      "description": f"service_request_id '{case.number}' not found."}]
    assert "13912345678" not in json.dumps([listing, by_id, one.json()], ensure_ascii=False)


def test_a_public_case_shows_its_category_not_the_reporters_words_or_contact(client, world):
    number = post(client, world, description=SECRET_WORDS, address_string=HOUSE, first_name="三", last_name="张",
                  email="zhang@example.com", phone="13912345678",
                  media_url="https://example.com/face.jpg").json()[0]["service_request_id"]
    listing, by_id, one = _every_answer(client, number)
    validate(listing, "requests.json")
    validate(one.json(), "requests.json")
    for answer in (listing[0], by_id[0], one.json()[0]):
        assert answer["service_request_id"] == number
        assert answer["description"] == "事件：市容环境/暴露垃圾"
        text = json.dumps(answer, ensure_ascii=False)
        for private in ("13912345678", "211103198501010011", "联系我", "张", "zhang@example.com", "5号楼", "face.jpg"):
            assert private not in text, private
        assert answer["media_url"] is None


def test_coordinates_are_rounded_and_the_address_is_the_community(client, world):
    number = post(client, world, lat="41.1051234", long="122.0058765",
                  address_string=HOUSE).json()[0]["service_request_id"]
    case = GridCase.objects.get(number=number)
    assert (case.lat, case.lng, case.address) == (41.1051234, 122.0058765, HOUSE)  # kept for the staff
    answer = client.get(f"{BASE}/requests/{number}.json").json()[0]
    assert (answer["lat"], answer["long"]) == (41.105, 122.006)
    assert answer["address"] == "".join(u.name for u in (case.district, case.street, case.community))
    assert "号" not in answer["address"]


def test_a_patrol_report_is_public_with_the_same_care(client, people):
    from apps.grid import services
    from apps.grid.constants import Channel

    case = services.case_report(channel=Channel.PATROL, description="惠宾小区5号楼门前垃圾，业主李四13912345678",
                                lat=41.1051234, lng=122.0051234, category=people["garbage"],
                                entered_by=people["member"], address=HOUSE)
    answer = client.get(f"{BASE}/requests/{case.number}.json").json()[0]
    assert answer["description"] == "事件：市容环境/暴露垃圾" and answer["lat"] == 41.105
    assert "李四" not in json.dumps(answer, ensure_ascii=False)
