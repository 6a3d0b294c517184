"""Two departments give their opinions at the same moment, on two database connections: the application still moves
on exactly once (the decision that completes a round locks the application before reading the other opinions)."""
import threading
import time

import pytest
from django.db import connection

from apps.honors import selectors, services
from apps.honors.constants import Status
from apps.honors.models import HonorApplication
from apps.workflow.models import TimelineEntry

from .factories import load_world, submitted, review_decide


@pytest.mark.django_db(transaction=True)
def test_two_departments_passing_at_once_move_the_application_on_once(monkeypatch):
    world = load_world()
    application = submitted(world)
    reviews = {r.department.code: r for r in selectors.reviews_current(application=application)}
    original = services.reviews_current

    def slow_read(**kwargs):
        time.sleep(0.4)  # both decisions are in flight here: without the lock each would see the other pending
        return original(**kwargs)

    monkeypatch.setattr(services, "reviews_current", slow_read)
    # Issuing the opinion takes the document-number lock, which would serialise the two by accident: leave it out so
    # that the test checks the application lock itself.
    monkeypatch.setattr(services, "_issue_opinion", lambda review, actor: None)
    barrier = threading.Barrier(2)
    errors = []

    def decide(actor, review):
        try:
            barrier.wait()
            review_decide(actor=actor, review=review, decision="pass", opinion="同意")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(world["science"], reviews["city-science"])),
               threading.Thread(target=decide, args=(world["agri"], reviews["city-agriculture"]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert HonorApplication.objects.get(pk=application.pk).status == Status.IN_ACCEPTANCE
    assert TimelineEntry.objects.filter(transition="reviews_passed").count() == 1
