"""An enterprise's online submission starts its clocks when it counts as received (settings RECEIPT_AFTER_HOURS,
issue 13): "same_day" (default) when made, "next_workday" at the opening of the next working day."""
import datetime as dt

import pytest
from django.utils import timezone

from apps.deadlines.selectors import deadline_for_stage
from apps.honors import selectors, services
from apps.honors.constants import Stage, Status

from .factories import fill, load_world, published, submitted

pytestmark = pytest.mark.django_db

SATURDAY = timezone.make_aware(dt.datetime(2025, 11, 15, 10, 0))
MONDAY_OPENING = timezone.make_aware(dt.datetime(2025, 11, 17, 8, 30))


@pytest.fixture
def world(db):
    return load_world()


def _due(deadline):
    return timezone.localtime(deadline.due_at).date()


def test_review_clocks_of_a_saturday_submission_under_each_policy(world, settings, monkeypatch):
    assert settings.RECEIPT_AFTER_HOURS == "same_day"
    first, second = fill(world), fill(world, enterprise=world["other_enterprise"])
    monkeypatch.setattr(timezone, "now", lambda: SATURDAY)
    first = services.honor_application_submit(actor=first.applicant, application=first, declaration=True)
    settings.RECEIPT_AFTER_HOURS = "next_workday"
    second = services.honor_application_submit(actor=second.applicant, application=second, declaration=True)
    for application, started, due in ((first, SATURDAY, dt.date(2025, 11, 28)),
                                      (second, MONDAY_OPENING, dt.date(2025, 12, 1))):
        # 10 working days: from Mon 17 (same_day) or Tue 18 (next_workday).
        assert application.submitted_at == SATURDAY
        for review in selectors.reviews_current(application=application):
            assert review.current_deadline.started_at == started and _due(review.current_deadline) == due


def test_an_update_submitted_after_hours_counts_its_15_days_from_the_next_working_day(world, settings, monkeypatch):
    settings.RECEIPT_AFTER_HOURS = "next_workday"
    published(world)
    update = services.honor_application_start(applicant=world["enterprise"])
    services.honor_application_update(
        actor=world["enterprise"], application=update, name=update.name, industry="A", district=world["district"],
        contact_phone="", website="", profile="新的企业概况", development="企业发展历程", brand="品牌建设之路",
        products_intro="", eligibility_confirmed=True)
    evening = timezone.make_aware(dt.datetime(2025, 11, 19, 20, 0))  # Wednesday
    monkeypatch.setattr(timezone, "now", lambda: evening)
    update = services.honor_application_submit(actor=world["enterprise"], application=update, declaration=True)
    assert update.status == Status.IN_ACCEPTANCE
    received = timezone.make_aware(dt.datetime(2025, 11, 20, 8, 30))
    update_clock = deadline_for_stage(obj=update, stage=Stage.UPDATE)
    acceptance = deadline_for_stage(obj=update, stage=Stage.ACCEPTANCE)
    assert update_clock.started_at == received and acceptance.started_at == received
    # From Fri 21: 15 working days end Thu 11 Dec; 5 end Thu 27 Nov.
    assert _due(update_clock) == dt.date(2025, 12, 11) and _due(acceptance) == dt.date(2025, 11, 27)
    assert update.submitted_at == evening and update.reached_acceptance_at == evening


def test_default_policy_starts_the_clocks_when_submitted(world):
    application = submitted(world)
    for review in selectors.reviews_current(application=application):
        assert review.current_deadline.started_at == application.submitted_at


def test_a_provisional_due_date_in_a_message_says_so(roles, monkeypatch):
    """Issue 13: staff and enterprises told a due date that rests on a year without an official calendar read 暂定."""
    from apps.notifications.models import Notification

    world = load_world()
    late = timezone.make_aware(dt.datetime(2027, 2, 3, 10))
    monkeypatch.setattr(timezone, "now", lambda: late)
    submitted(world)
    told = Notification.objects.filter(recipient=world["science"]).first()
    assert told is not None and "暂定" in told.body
