from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import OperatorDayKind


class CalendarYear(models.Model):
    """A year of official holidays entered by an operator when the State Council publishes its notice.

    A year entered here overrides chinesecalendar; a year in neither is computed provisionally.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    notice = models.CharField(_("notice"), max_length=200, blank=True, help_text=_("e.g. 国办发明电〔2026〕x号"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        verbose_name = _("official calendar year")
        verbose_name_plural = _("official calendar years")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class CalendarDay(models.Model):
    calendar_year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=OperatorDayKind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"


class CalendarChange(models.Model):
    """One entry or correction of a year, append-only. Its id is the calendar's version: every process compares the
    latest id with the version its cached years were read at (selectors.calendar_check), and every deadline records
    the version it was computed on, so that one computed on an older calendar is found and recomputed."""

    year = models.PositiveSmallIntegerField(_("year"))
    notice = models.CharField(_("notice"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar change")
        verbose_name_plural = _("calendar changes")
        ordering = ["-id"]

    def __str__(self):
        return f"{self.year} #{self.pk}"
