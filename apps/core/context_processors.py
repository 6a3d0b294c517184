from django.utils import timezone

from apps.core.i18n import city_name

LARGE_TEXT_COOKIE = "large_text"


def portal(request):
    context = {
        "city_name": city_name(),  # in the reader's language
        "large_text": request.COOKIES.get(LARGE_TEXT_COOKIE) == "1",
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and not request.path.startswith("/admin/"):
        from apps.notifications.selectors import notification_unread_count

        context["unread_count"] = notification_unread_count(user=user)
    # The missing-calendar warning only to who can act on it: whoever may enter a calendar year (the calendar
    # operator) and superusers; the other roles cannot do anything about it (issue 19).
    if (user is not None and user.is_authenticated and user.is_staff and request.path.startswith("/admin/")
            and (user.is_superuser or user.has_perm("workdays.add_calendaryear"))):
        from apps.workdays.selectors import years_missing_official_data

        context["calendar_missing_years"] = years_missing_official_data(today=timezone.localdate())
    return context
