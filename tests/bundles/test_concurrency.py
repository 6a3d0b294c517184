"""The last two items of a bundle completed at the same moment by clerks of two departments, on two connections: the
bundle completes once. Each item's step locks the bundle first (WorkflowSpec.parents, ADR 0003), so the second waits
for the first to commit and then sees it ended; without that lock each would see the other still open and the bundle
would never complete (remove `parents` from the application's spec and this test fails). SQLite locks the whole
database: PostgreSQL only (CI)."""
import threading
import time

import pytest
from django.db import connection

from apps.bundles.constants import BundleStatus, DocumentKinds
from apps.documents.selectors import documents_for_case
from apps.workflow.services import transition_perform
from apps.workflow.spec import spec_for

from .factories import approve, bundle_submitted, bundle_world, completion, grant, item

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                     reason="row locks need PostgreSQL; SQLite locks the whole database")


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_last_items_completed_at_once_complete_the_bundle_once(roles, monkeypatch):
    from apps.applications.models import Application

    world = bundle_world()
    bundle = bundle_submitted(world, world["restaurant"])
    grant(world["clerk"], item(bundle, "SCJG-DJ-0003"))
    food, hygiene = item(bundle, "SCJG-XK-0001"), item(bundle, "WJ-GG-0003")
    for clerk, application in ((world["clerk"], food), (world["health_clerk"], hygiene)):
        application = transition_perform(actor=clerk, obj=application, name="accept")
        approve(clerk, application)
    spec = spec_for(Application)
    complete = spec.by_name["complete"]
    original = complete.effect

    def slow_effect(*, obj, actor, params):
        original(obj=obj, actor=actor, params=params)
        time.sleep(0.5)  # the item has looked at the others and not yet committed: the other request runs meanwhile

    monkeypatch.setitem(spec.by_name, "complete", complete.__class__(**{**complete.__dict__, "effect": slow_effect}))
    barrier = threading.Barrier(2)
    errors = []

    def press(clerk, application):
        try:
            barrier.wait()
            transition_perform(actor=clerk, obj=application, name="complete", params=completion(application))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(world["clerk"], food)),
               threading.Thread(target=press, args=(world["health_clerk"], hygiene))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    bundle.refresh_from_db()
    assert bundle.status == BundleStatus.COMPLETED
    assert documents_for_case(obj=bundle).filter(kind=DocumentKinds.RESULT).count() == 1
