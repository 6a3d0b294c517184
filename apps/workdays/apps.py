from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "apps.workdays"
    verbose_name = _("Working-day calendar")

    def ready(self):
        from celery.signals import task_postrun, task_prerun
        from django.core.signals import request_finished, request_started

        from .selectors import calendar_scope_begin, calendar_scope_end

        # The calendar's version is compared once per request and once per task (selectors.calendar_check).
        request_started.connect(calendar_scope_begin, dispatch_uid="workdays-scope-request")
        request_finished.connect(calendar_scope_end, dispatch_uid="workdays-scope-request-end")
        task_prerun.connect(calendar_scope_begin, dispatch_uid="workdays-scope-task", weak=False)
        task_postrun.connect(calendar_scope_end, dispatch_uid="workdays-scope-task-end", weak=False)
