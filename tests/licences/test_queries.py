"""The new lists cost the same queries with 1 row as with 30 (CONVENTIONS 7): the licences' admin list, 我的证照, the
licences API, the follow-up checks' list, the dishonesty records' list and a village's page."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.credit.services import dishonesty_record_add
from apps.licences.services import LicenceData, licence_issue
from tests.accounts.factories import make_credit_code
from tests.licences.test_registry import world  # noqa: F401

pytestmark = pytest.mark.django_db


def issue(world, n):
    profile = world["enterprise"].enterprise_profile
    for i in range(n):
        licence_issue(actor=world["clerk"], issuing_department=world["market"],
                      data=LicenceData(kind=world["kind"], number=f"YZ-Q{i}-{n}", holder_code=profile.credit_code,
                                       holder_name=profile.name, valid_from=dt.date(2021, 1, 1)))


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("who, url", [
    ("clerk", "/admin/licences/licence/"),
    ("enterprise", "/licences/"),
    ("enterprise", "/api/v1/licences/"),
    ("clerk", "/api/v1/licences/"),
])
def test_licence_lists_do_not_grow(client, world, who, url):
    issue(world, 1)
    client.force_login(world[who])
    one = queries(client, url)
    issue(world, 29)
    assert queries(client, url) == one


def test_the_dishonesty_records_list_does_not_grow(client, world):
    def record(n):
        for i in range(n):
            dishonesty_record_add(actor=world["clerk"], subject_code=make_credit_code(900 + i + n),
                                  subject_name="某公司", source="测试", listed_on=dt.date(2026, 11, 1), reason="测试",
                                  department=world["market"])
    record(1)
    client.force_login(world["clerk"])
    one = queries(client, reverse("admin:credit_dishonestyrecord_changelist"))
    record(29)
    assert queries(client, reverse("admin:credit_dishonestyrecord_changelist")) == one
