"""Helpers the services' APIs share."""
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError


def lookup_or_400(model, field: str, value, param: str):
    """The object a filter names, None when the filter is absent; an unknown one is a 400 naming the parameter."""
    if not value:
        return None
    obj = model.objects.filter(**{field: value}).first()
    if obj is None:
        raise ValidationError({param: [_("“%(value)s” is not known.") % {"value": value}]})
    return obj
