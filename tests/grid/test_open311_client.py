"""An Open311 client that was not written for this project (PyPI `georeport`, with `requests` for the POST it does
not offer) lists the services, posts a request and reads it back from a running server."""
import pytest
import requests
from georeport import GeoReport

from apps.grid.models import GridCase

from .factories import load_world


@pytest.mark.django_db(transaction=True)
def test_a_foreign_client_lists_posts_and_reads_back(live_server):
    world = load_world()
    root = f"{live_server.url}/open311/v2"
    client = GeoReport(root, api_key=world["key"])
    services = client.get_service_list()
    assert any(s["service_code"] == "1301" and s["group"] == "公用设施" for s in services)
    assert client.get_service_definition("1301")["service_code"] == "1301"
    posted = requests.post(f"{root}/requests.json", data={
        "api_key": client.api_key, "service_code": "1301", "lat": 41.105, "long": 122.005,
        "description": "Manhole cover missing on the pavement", "email": "reporter@example.com"}, timeout=10)
    posted.raise_for_status()
    number = posted.json()[0]["service_request_id"]
    one = client.get_service_request(number)
    assert one["service_code"] == "1301" and one["status"] == "open" and one["lat"] == 41.105
    assert [r["service_request_id"] for r in client.get_service_requests(service_request_id=number)] == [number]
    assert GridCase.objects.get(number=number).grid.code == "21110300100101"
    refused = requests.post(f"{root}/requests.json", data={"service_code": "1301", "lat": 41.1, "long": 122.0,
                                                           "description": "x"}, timeout=10)
    assert refused.status_code == 403 and refused.json()[0]["code"] == 403
