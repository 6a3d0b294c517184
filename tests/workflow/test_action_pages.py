"""Every button a person presses explains itself (issue 19): each staff transition declares its consequences."""
from apps.workflow.spec import _REGISTRY


def test_every_staff_button_declares_what_it_does():
    missing = [f"{model.__name__}.{t.name}" for model, spec in _REGISTRY.items() for t in spec.transitions
               if t.roles and not t.internal and t.consequences is None
               and model._meta.app_label != "example_app"]
    assert missing == []
