"""Two clerks press the same button at the same moment, on two database connections."""
import threading
import time

import pytest
from django.db import connection

from apps.workflow.exceptions import AlreadyHandled
from apps.workflow.models import TimelineEntry
from apps.workflow.services import transition_perform
from apps.workflow.spec import spec_for
from tests.example_app import models as example_models
from tests.example_app import services as example_services
from tests.example_app.factories import make_world, submit


@pytest.mark.django_db(transaction=True)
def test_two_clerks_accepting_at_once_make_one_transition(roles, monkeypatch):
    world = make_world()
    case = submit(world)
    second_clerk = world["clerk"].__class__.objects.get(pk=world["clerk"].pk)
    barrier = threading.Barrier(2)
    original_effect = example_services.on_accept

    def slow_effect(*, obj, actor, params):
        time.sleep(0.3)  # hold the row lock so that the other request really waits on it
        original_effect(obj=obj, actor=actor, params=params)

    spec = spec_for(example_models.ExampleCase)
    transition = spec.by_name["accept"]
    monkeypatch.setitem(spec.by_name, "accept", transition.__class__(**{**transition.__dict__, "effect": slow_effect}))
    results = []

    def press(actor, name):
        try:
            barrier.wait()
            transition_perform(actor=actor, obj=case, name=name, comment=name)
            results.append("ok")
        except AlreadyHandled as error:
            results.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(world["clerk"], "accept")),
               threading.Thread(target=press, args=(second_clerk, "refuse"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results, key=len)[0] == "ok" and len(results) == 2
    assert "已被处理" in sorted(results, key=len)[1]
    transitions = TimelineEntry.objects.filter(kind="transition").exclude(transition="submit")
    assert transitions.count() == 1
    assert example_models.ExampleCase.objects.get(pk=case.pk).status == transitions.get().to_state
