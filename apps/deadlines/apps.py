from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "apps.deadlines"
    verbose_name = _("Deadlines")

    def ready(self):
        from apps.workdays.signals import calendar_year_changed

        from . import receivers

        calendar_year_changed.connect(receivers.on_calendar_year_changed, dispatch_uid="deadlines-calendar")
