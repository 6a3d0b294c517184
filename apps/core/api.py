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


def idempotent_create(request, *, scope: str, create):
    """Run ``create()`` (which returns a DRF Response) once per ``Idempotency-Key`` header of this user and scope.

    Without the header: as before. With it: the key is taken in the same transaction as the work, so a retry after a
    failure finds nothing and does the work; a retry after success gets the stored answer (``Idempotent-Replayed:
    true``); the same key with another request body is a 422; a request racing the first one waits for it."""
    import hashlib
    import json

    from django.core.serializers.json import DjangoJSONEncoder
    from django.db import IntegrityError, transaction
    from rest_framework import status
    from rest_framework.response import Response

    from .models import IdempotencyKey

    key = (request.headers.get("Idempotency-Key") or "").strip()
    if not key:
        return create()
    if len(key) > 100:
        raise ValidationError({"Idempotency-Key": [_("At most 100 characters.")]})
    def value(v):
        if not hasattr(v, "chunks"):
            return v
        digest = hashlib.sha256()  # the file's content, not its name and size: another scan is another request
        for chunk in v.chunks():
            digest.update(chunk)
        v.seek(0)
        return digest.hexdigest()

    if hasattr(request.data, "lists"):  # a form: every value of a repeated field, not only the last
        data = {k: [value(v) for v in vs] for k, vs in sorted(request.data.lists())}
    else:
        data = request.data
    fingerprint = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()

    def replay(row):
        if row.fingerprint != fingerprint:
            return Response({"detail": _("This Idempotency-Key was used for another request.")},
                            status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        return Response(row.body, status=row.status_code, headers={"Idempotent-Replayed": "true"})

    found = IdempotencyKey.objects.filter(user=request.user, scope=scope, key=key).first()
    if found is not None:
        return replay(found)
    try:
        with transaction.atomic():
            response = create()
            if status.is_success(response.status_code):
                body = json.loads(json.dumps(response.data, cls=DjangoJSONEncoder))
                IdempotencyKey.objects.create(user=request.user, scope=scope, key=key, fingerprint=fingerprint,
                                              status_code=response.status_code, body=body)
    except IntegrityError:
        # The same key committed meanwhile by a racing request: its answer stands. Any other integrity error is the
        # work's own and is raised as it would be without a key.
        winner = IdempotencyKey.objects.filter(user=request.user, scope=scope, key=key).first()
        if winner is None:
            raise
        return replay(winner)
    return response
