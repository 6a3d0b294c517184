"""The admin index as each staff user's front door (issue 19): warnings only to who can act on them."""
import pytest
from django.urls import reverse

from apps.organizations.constants import Role
from apps.workdays.selectors import years_missing_official_data
from tests.accounts.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.CALENDAR_OPERATOR, Role.CLERK, Role.DISPATCHER, Role.DISCLOSURE_REVIEWER,
                                  "superuser"])
def test_the_calendar_warning_goes_to_who_can_enter_the_calendar(client, roles, role, monkeypatch):
    import datetime as dt

    from apps.core import context_processors

    # 1 November: next year's official holidays are not entered yet (2027 rests on the provisional rule).
    monkeypatch.setattr(context_processors.timezone, "localdate", lambda: dt.date(2026, 11, 1))
    user = (StaffFactory(department=None, is_superuser=True) if role == "superuser"
            else StaffFactory(roles=[role]))
    client.force_login(user)
    page = client.get(reverse("admin:index")).content.decode()
    missing = years_missing_official_data(today=dt.date(2026, 11, 1))
    may_act = role in (Role.CALENDAR_OPERATOR, "superuser")
    assert missing == [2027]
    assert ('data-queue="calendar"' in page) == may_act
    assert (reverse("admin:workdays_calendaryear_add") in page) == may_act
    # Nor on any other admin page (the warning sits in the messages of every page).
    page = client.get(reverse("admin:password_change")).content.decode()
    assert (str(missing[0]) in page and "messagelist" in page) == may_act


def test_a_superuser_sees_every_queue(client, roles):
    from apps.core.dashboard import _QUEUES
    from tests.workflow.door import dashboard

    queues = dashboard(client, user=StaffFactory(department=None, is_superuser=True))
    assert set(queues) == set(_QUEUES)
