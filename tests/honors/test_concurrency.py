"""Two departments give their opinions at the same moment, on two database connections: the application still moves
on exactly once (the decision that completes a round locks the application before reading the other opinions)."""
import datetime as dt
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


# --- one lock order (ADR 0003): showcase → application → review, whichever door a change comes through --------------
# Without it PostgreSQL finds a deadlock here (an acceptance held the application and waited for the showcase while a
# revocation held the showcase and waited for the application). SQLite locks the whole database, so only PostgreSQL
# proves anything: these run in CI, which runs the suite on PostgreSQL.

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                     reason="row locks and deadlocks exist on PostgreSQL only (CI runs it)")


def _race(*calls):
    """Run the calls at the same moment on two connections; return what each raised (None when it went through)."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            call()
        except Exception as error:  # noqa: BLE001 - the test reads the outcome
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "a transition never finished"
    return outcomes


def _slow(monkeypatch, module, name, seconds=0.5):
    original = getattr(module, name)

    def slow(*args, **kwargs):
        time.sleep(seconds)  # hold the locks taken so far while the other side arrives
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, slow)


@postgresql_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("slow_side", ["accept", "revoke"])
def test_a_revocation_racing_an_acceptance_ends_revoked_without_deadlock(monkeypatch, slow_side):
    from apps.honors.constants import ShowcaseStatus
    from apps.honors.models import Showcase
    from apps.workflow.exceptions import AlreadyHandled
    from apps.workflow.services import transition_perform

    from .factories import pass_all, revoke

    world = load_world()
    application = pass_all(world, submitted(world))
    showcase = Showcase.objects.get(pk=application.showcase_id)
    # Slow down the side that should hold its locks while the other one arrives.
    _slow(monkeypatch, services, "_close_clocks" if slow_side == "accept" else "document_issue")
    outcomes = _race(
        lambda: transition_perform(actor=world["officer"], obj=application, name="accept"),
        lambda: revoke(actor=world["officer"], showcase=showcase, source="信用中国", listed_on=dt.date(2026, 1, 5),
                       reason="严重失信"),
    )
    # One wins; the other either follows it (a revocation after the publication) or finds the case handled.
    assert all(error is None or isinstance(error, AlreadyHandled) for error in outcomes), outcomes
    showcase.refresh_from_db()
    application.refresh_from_db()
    assert showcase.status == ShowcaseStatus.REVOKED
    assert application.status in (Status.STOPPED, Status.PUBLISHED)
    assert not selectors.showcases_published().filter(pk=showcase.pk).exists()


@postgresql_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("slow_side", ["withdraw", "review"])
def test_a_withdrawal_racing_a_review_decision_ends_withdrawn_without_deadlock(monkeypatch, slow_side):
    from apps.honors.constants import ReviewStatus
    from apps.workflow.exceptions import AlreadyHandled
    from apps.workflow.services import transition_perform

    world = load_world()
    application = submitted(world)
    review = next(r for r in selectors.reviews_current(application=application)
                  if r.department.code == "city-science")
    _slow(monkeypatch, services, "_cancel_all" if slow_side == "withdraw" else "_issue_opinion")
    outcomes = _race(
        lambda: transition_perform(actor=world["enterprise"], obj=application, name="withdraw"),
        lambda: review_decide(actor=world["science"], review=review, decision="pass", opinion="同意"),
    )
    assert all(error is None or isinstance(error, AlreadyHandled) for error in outcomes), outcomes
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert not application.reviews.filter(status=ReviewStatus.PENDING).exists()
