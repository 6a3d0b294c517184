"""The admin door of a state change, as a clerk's browser uses it: the transition button's form, posted.

Tests of a transition drive this (or the public page, or the API) rather than calling the engine, so that what they
prove is what a person clicking runs (CONVENTIONS 15)."""
from django.urls import reverse

from apps.workflow.models import TimelineEntry


def transition_url(obj, name) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_transition", args=[obj.pk, name])


def press(client, *, user, obj, name, data=None):
    """Post the transition's form in the admin as ``user`` (None: anonymous). Returns the response."""
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.post(transition_url(obj, name), {"comment": "", "internal_note": "", **(data or {})})


def outcome(response) -> str:
    """done (redirected to the case), refused (the form again, with the reason), hidden (404), login."""
    if response.status_code == 302:
        return "login" if "/login/" in response["Location"] else "done"
    if response.status_code == 404:
        return "hidden"
    if response.status_code == 200:
        return "refused"
    return str(response.status_code)


def history(obj) -> list[str]:
    """The transitions on the case's timeline, in order."""
    return list(TimelineEntry.objects.filter(content_type__model=obj._meta.model_name, object_id=str(obj.pk))
                .exclude(transition="").order_by("created_at", "id").values_list("transition", flat=True))


def action_page(client, *, user, obj, name) -> str:
    """Open the transition's page as ``user`` (the button's link) and check that it explains itself: every part of
    the declared consequences, the comment's label saying who reads it, and a cancel back to the case. Returns the
    page's HTML for further checks (what is being judged)."""
    from django.utils.html import escape

    from apps.workflow.spec import spec_for

    client.logout()
    client.force_login(user)
    response = client.get(transition_url(obj, name))
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    spec = spec_for(obj)
    transition = spec.get(name)
    assert transition.consequences is not None, f"{name}: no consequences declared"
    for _label, text in transition.consequences.parts():
        assert escape(str(text)) in page, f"{name}: {text!s} not on its page"
    label = str(spec.comment_label(transition))
    if label:
        assert escape(label) in page
    change = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    assert f'class="button cancel-link transition-cancel" href="{change}"' in page
    return page


def dashboard(client, *, user) -> dict:
    """The queues the admin index shows ``user``: name → (the count shown, the link)."""
    import html
    import re

    client.logout()
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    page = response.content.decode()
    found = re.finditer(r'data-queue="([^"]+)">\s*<a href="([^"]+)"><span class="dashboard-count">([^<]+)</span>', page)
    return {m.group(1): (m.group(3), html.unescape(m.group(2))) for m in found}


def listed(client, url) -> int:
    """How many rows the changelist behind a dashboard link shows (its result count), for the signed-in user."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.context_data["cl"].result_count


def assert_counts_match_lists(client, queues: dict):
    """Every count on the dashboard is what its link's list shows."""
    for name, (shown, url) in queues.items():
        assert shown == str(listed(client, url)), (name, shown, url)
