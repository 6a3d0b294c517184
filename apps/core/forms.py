"""The public forms' shared pattern (issue 19): plain messages that name the field, instead of Django's stock
"This field is required." — one place, used by every public form through ``PlainErrorsMixin``."""

import copy

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

CHOICE_GROUP_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


def _kind(field) -> str:
    widget = field.widget
    if isinstance(field, forms.FileField) or isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, (forms.CheckboxInput,)):
        return "tick"
    if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)) or isinstance(widget, forms.Select):
        return "choose"
    return "enter"


def plain_messages(form) -> None:
    """Give each field of ``form`` messages that name it, unless the form declared its own."""
    for field in form.fields.values():
        label = field.label or ""
        defaults = _default_messages(type(field))
        # the messages the field's declaration gave are kept over the generic ones
        declared = {key for key, message in field.error_messages.items() if message != defaults.get(key)}
        generic = {
            "required": {
                "enter": format_lazy(_("Fill in “{}”."), label),
                "choose": format_lazy(_("Choose “{}”."), label),
                "file": format_lazy(_("Choose a file for “{}”."), label),
                "tick": format_lazy(_("Tick “{}” to go on."), label),
            }[_kind(field)],
            "max_length": format_lazy(_("“{}” can have at most %(limit_value)d characters (it has %(show_value)d)."),
                                      label),
            "min_length": format_lazy(_("“{}” needs at least %(limit_value)d characters (it has %(show_value)d)."),
                                      label),
            "invalid_choice": format_lazy(_("Choose one of the options offered for “{}”."), label),
            "empty": format_lazy(_("The file chosen for “{}” is empty: choose another one."), label),
        }
        if isinstance(field, forms.DateField):
            generic["invalid"] = format_lazy(_("Enter “{}” as a date, e.g. 2026-11-30."), label)
        elif isinstance(field, forms.EmailField):
            generic["invalid"] = format_lazy(_("Enter “{}” as an e-mail address, e.g. name@example.com."), label)
        elif isinstance(field, forms.URLField):
            generic["invalid"] = format_lazy(_("Enter “{}” as a web address, e.g. https://www.example.com."), label)
        elif isinstance(field, (forms.FloatField, forms.IntegerField, forms.DecimalField)):
            generic["invalid"] = format_lazy(_("Enter “{}” as a number."), label)
        for key, message in generic.items():
            if key not in declared and (key in field.error_messages or key in ("required",)):
                field.error_messages[key] = message
        # Length, e-mail and web-address checks are validators with their own messages: reword them too, on copies
        # (validate_email is one object shared by every EmailField of the site, the admin's included).
        reworded = []
        for validator in field.validators:
            code = getattr(validator, "code", None)
            if code in generic and code not in declared and hasattr(validator, "message"):
                validator = copy.copy(validator)
                validator.message = generic[code]
            reworded.append(validator)
        field.validators = reworded


def _default_messages(cls) -> dict:
    messages = {}
    for klass in reversed(cls.__mro__):
        messages.update(getattr(klass, "default_error_messages", {}))
    return messages


class PlainErrorsMixin:
    """Mix into a public form: every field gets messages that say which field and what to do."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plain_messages(self)


def is_choice_group(bound_field) -> bool:
    return isinstance(bound_field.field.widget, CHOICE_GROUP_WIDGETS)


def field_anchor(bound_field) -> str:
    """The id the error summary links to: the control itself, or the first of a group of radios or boxes."""
    auto_id = bound_field.auto_id
    return f"{auto_id}_0" if is_choice_group(bound_field) else bound_field.id_for_label or auto_id
