from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    WORKDAY = "workday", _("Working day")
    HOLIDAY = "holiday", _("Holiday")
    WEEKEND = "weekend", _("Weekend")


class OperatorDayKind(models.TextChoices):
    """What an operator enters for a year: the holidays and the make-up working days (调休上班)."""

    HOLIDAY = "holiday", _("Holiday")
    WORKDAY = "workday", _("Make-up working day")


class YearSource(models.TextChoices):
    OPERATOR = "operator", _("Entered by an operator (official notice)")
    PACKAGE = "package", _("Official, from chinesecalendar")
    PROVISIONAL = "provisional", _("Provisional, from the statutory holiday rules")
