from django import template

from apps.core.dashboard import dashboard_for

register = template.Library()


@register.simple_tag(takes_context=True)
def work_dashboard(context):
    """The signed-in staff user's queues (apps.core.dashboard), for the admin index."""
    request = context.get("request")
    return dashboard_for(user=request.user) if request is not None else []
