from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .constants import DeadlineStatus, Unit
from .selectors import deadline_remaining, deadline_status

def deadline_badge(deadline, *, now=None) -> str:
    """A short HTML label for lists: remaining or overdue units, paused, and 'provisional' when the date rests on a
    year without official holidays. Use it in list_display of every case admin."""
    if deadline is None:
        return "—"
    unit = Unit(deadline.unit).label
    now = now or timezone.now()
    status = deadline_status(deadline=deadline, now=now)
    if status == DeadlineStatus.PAUSED:
        text, css = _("Paused"), "deadline-paused"
    elif not deadline.is_open:
        text, css = DeadlineStatus(status).label, "deadline-closed"
    else:
        left = deadline_remaining(deadline=deadline, now=now)
        if status == DeadlineStatus.OVERDUE:
            text = _("Overdue by %(n)s %(unit)s") % {"n": abs(left or 0), "unit": unit}
            css = "deadline-overdue"
        else:
            text = _("%(n)s %(unit)s left") % {"n": left, "unit": unit}
            css = "deadline-soon" if status == DeadlineStatus.DUE_SOON else "deadline-running"
    provisional = format_html(' <span class="deadline-provisional" title="{}">{}</span>',
                              _("Rests on a year without an official holiday calendar."),
                              _("provisional")) if deadline.provisional else ""
    return format_html('<span class="{}">{}</span>{}', css, text, provisional)
