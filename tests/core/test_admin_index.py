"""The back office's front door and the 补正 form (issue 19): the dashboard instead of Django's "recent actions";
each material's box beside its label on the supplement-request page."""
import lxml.html
import pytest

from tests.applications.factories import load_world, submitted

pytestmark = pytest.mark.django_db


def test_the_admin_index_shows_the_dashboard_and_not_recent_actions(client, roles):
    world = load_world()
    client.force_login(world["clerk"])
    page = client.get("/admin/").content.decode()
    assert 'id="work-dashboard"' in page
    assert "recent-actions-module" not in page


def test_each_supplement_box_sits_beside_its_label(client, roles):
    world = load_world()
    application = submitted(world)
    client.force_login(world["clerk"])
    response = client.get(f"/admin/applications/application/{application.pk}/transition/request_supplement/")
    assert response.status_code == 200
    tree = lxml.html.fromstring(response.content.decode())
    rows = tree.xpath("//*[contains(concat(' ', @class, ' '), ' transition-check ')]")
    assert len(rows) == application.service.materials.count()
    for row in rows:
        box, label = row.getchildren()
        assert box.get("type") == "checkbox" and label.tag == "label" and label.get("for") == box.get("id")
