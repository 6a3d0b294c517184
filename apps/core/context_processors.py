from django.conf import settings
from django.utils import timezone

LARGE_TEXT_COOKIE = "large_text"


def portal(request):
    context = {
        "city_name": settings.PORTAL_CITY_NAME,
        "large_text": request.COOKIES.get(LARGE_TEXT_COOKIE) == "1",
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and not request.path.startswith("/admin/"):
        from apps.notifications.selectors import notification_unread_count

        context["unread_count"] = notification_unread_count(user=user)
    if user is not None and user.is_authenticated and user.is_staff and request.path.startswith("/admin/"):
        from apps.workdays.selectors import years_missing_official_data

        context["calendar_missing_years"] = years_missing_official_data(today=timezone.localdate())
    return context
