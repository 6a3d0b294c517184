from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors, services
from .constants import OperatorDayKind, YearSource
from .exceptions import CalendarError
from .forms import CalendarYearForm
from .models import CalendarYear


def _lines(days):
    return "\n".join(f"{day.date.isoformat()} {day.name}".strip() for day in days)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Operators enter a year's holidays and make-up working days in one form when the State Council publishes them."""

    list_display = ("year", "notice", "holiday_count", "workday_count", "entered_by", "entered_at")
    change_list_template = "admin/workdays/calendaryear/change_list.html"

    def get_queryset(self, request):
        return selectors.calendar_year_list()

    @admin.display(description=_("holidays"))
    def holiday_count(self, obj):
        return sum(1 for day in obj.days.all() if day.kind == OperatorDayKind.HOLIDAY)

    @admin.display(description=_("make-up working days"))
    def workday_count(self, obj):
        return sum(1 for day in obj.days.all() if day.kind == OperatorDayKind.WORKDAY)

    def has_delete_permission(self, request, obj=None):
        # Removing an official year would silently move deadlines back to provisional dates.
        return False

    def changelist_view(self, request, extra_context=None):
        today = timezone.localdate()
        coverage = [
            {"year": year, "source_label": YearSource(selectors.year_data(year).source).label,
             "provisional": selectors.year_data(year).provisional}
            for year in range(today.year - 1, today.year + 3)
        ]
        extra_context = {**(extra_context or {}), "coverage": coverage}
        return super().changelist_view(request, extra_context)

    def _year_form_view(self, request, instance=None):
        if instance is None and not self.has_add_permission(request):
            raise PermissionDenied
        if instance is not None and not self.has_change_permission(request, instance):
            raise PermissionDenied
        initial = {}
        if instance is not None:
            days = list(instance.days.all())
            initial = {
                "year": instance.year,
                "notice": instance.notice,
                "holidays": _lines(d for d in days if d.kind == OperatorDayKind.HOLIDAY),
                "workdays": _lines(d for d in days if d.kind == OperatorDayKind.WORKDAY),
            }
        form = CalendarYearForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.calendar_year_enter(
                    actor=request.user,
                    year=data["year"],
                    notice=data["notice"],
                    holidays=data["holidays_parsed"],
                    workdays=data["workdays_parsed"],
                    accept_differences=data["accept_differences"],
                )
            except CalendarError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(
                    request,
                    _("The official calendar of %(year)d is saved; deadlines that rested on the provisional "
                      "calendar are being recomputed.") % {"year": data["year"]},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:workdays_calendaryear_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Enter an official calendar year"),
            "form": form,
            "original": instance,
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/workdays/calendaryear/year_form.html", context)

    def add_view(self, request, form_url="", extra_context=None):
        return self._year_form_view(request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        instance = self.get_object(request, object_id)
        if instance is None:
            from django.http import Http404

            raise Http404
        return self._year_form_view(request, instance)
