"""A session that expires in the middle of a long form loses nothing typed (issue 19, CONVENTIONS 18): the POST is
kept in the session (bounded: an anonymous visitor stores nothing unbounded), the person logs in again and the
page shows it again. Files cannot be kept this way: the page says which ones to choose again."""

import json
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

from .throttle import Limit, throttle_exceeded

KEPT_FORM = "kept_form"


def login_required_keep_post(view):
    """A session that expired mid-form: keep what was typed, ask to log in again, then show it again."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.method == "POST":
            data = {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}
            # An anonymous visitor stores nothing unbounded (CONVENTIONS 18): a form larger than the bound is not kept,
            # and an address keeps only so many forms an hour (each is a session row).
            small = len(json.dumps(data, ensure_ascii=False).encode()) <= settings.SESSION_KEPT_FORM_MAX_BYTES
            if small and throttle_exceeded(request, Limit.per_address("kept_form_address", request)) is None:
                request.session[KEPT_FORM] = {"path": request.path, "data": data,
                                              "files": [upload.name for upload in request.FILES.values()]}
                if request.FILES:
                    messages.warning(request, _("Your session expired. Log in again: what you typed has been kept; "
                                                "choose these files again: %(names)s.")
                                     % {"names": "、".join(upload.name for upload in request.FILES.values())})
                else:
                    messages.warning(request, _("Your session expired. Log in again: what you typed has been kept."))
            else:
                messages.warning(request, _("Your session expired. Log in again and fill in the form once more."))
        return redirect_to_login(request.get_full_path())

    return wrapper


def kept_form_data(request, *, multi=False):
    """What was typed before the session expired, for this page only, once; or None. ``multi``: a QueryDict."""
    kept = request.session.get(KEPT_FORM)
    if kept and kept["path"] == request.path:
        del request.session[KEPT_FORM]
        if multi:
            from django.http import QueryDict

            data = QueryDict(mutable=True)
            for key, values in kept["data"].items():
                data.setlist(key, values)
            return data
        return {key: values if len(values) > 1 else values[0] for key, values in kept["data"].items()}
    return None
