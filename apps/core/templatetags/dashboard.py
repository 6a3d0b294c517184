from django import template

from apps.core.dashboard import dashboard_for, reports_for

register = template.Library()


@register.simple_tag(takes_context=True)
def work_dashboard(context):
    """The signed-in staff user's queues (apps.core.dashboard), for the admin index."""
    request = context.get("request")
    return dashboard_for(user=request.user) if request is not None else []


@register.simple_tag(takes_context=True)
def work_reports(context):
    """The report pages the signed-in staff user may open (apps.core.dashboard.report_register)."""
    request = context.get("request")
    return reports_for(user=request.user) if request is not None else []
