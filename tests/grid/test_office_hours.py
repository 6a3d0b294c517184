"""A category's hour limits in working hours (工作时, issue 17 item 8) or clock hours (the default)."""
import datetime as dt

import pytest
from django.urls import reverse

from apps.deadlines.constants import Unit
from apps.deadlines.selectors import working_hours_add
from apps.grid.constants import HourBasis
from apps.grid.models import CaseCategory

from .factories import load_people, load_world, photo_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, settings):
    settings.OFFICE_HOURS = ("08:30-12:00", "13:30-17:30")
    return load_people(load_world())


def test_categories_count_clock_hours_unless_told_otherwise(world):
    assert set(CaseCategory.objects.values_list("hour_basis", flat=True)) == {HourBasis.CLOCK}
    case = photo_report(world)  # 暴露垃圾: 2 hours to register
    deadline = case.current_deadline
    assert deadline.unit == Unit.HOURS and deadline.due_at == deadline.started_at + dt.timedelta(hours=2)


def test_a_category_in_working_hours_runs_its_hour_limits_on_office_hours(world):
    CaseCategory.objects.filter(pk=world["garbage"].pk).update(hour_basis=HourBasis.WORKING)
    case = photo_report(world)
    deadline = case.current_deadline
    assert (deadline.unit, deadline.limit) == (Unit.WORKING_HOURS, 2)
    assert deadline.due_at == working_hours_add(start=deadline.started_at, seconds=2 * 3600).value
    # Its limits in working days stay working days (处置 of a normal case: 3 working days).
    assert world["garbage"].time_limits.get(urgency="normal", step="handle").unit == Unit.WORKING_DAYS


def test_the_choice_is_on_the_category_page(client, world, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "x")
    client.force_login(admin)
    page = client.get(reverse("admin:grid_casecategory_change", args=[world["garbage"].pk])).content.decode()
    assert 'name="hour_basis"' in page and "工作时" in page and "自然小时" in page
