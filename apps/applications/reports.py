"""The service centre's statistics page: its form (the query string), the definitions printed with the figures, and
the same table as a workbook. The figures themselves are read by ``statistics.centre_statistics``."""
import datetime as dt
import io

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .constants import Channel
from .statistics import Scope, centre_statistics

MAX_MONTHS = 36  # bound the period asked for (CONVENTIONS 18): three years of months at most

GROUP_CHOICES = [("month", gettext_lazy("Month")), ("channel", gettext_lazy("Intake channel")),
                 ("service", gettext_lazy("Service item")), ("department", gettext_lazy("Department"))]

# The columns of the page and of the workbook, in order.
COLUMNS = [
    ("applications", gettext_lazy("Applications")),
    ("accepted_on_time", gettext_lazy("Acceptance on time")),
    ("acceptance_handled", gettext_lazy("Acceptance decided")),
    ("acceptance_rate", gettext_lazy("Acceptance on time (%)")),
    ("decided_on_time", gettext_lazy("Decided on time")),
    ("decided", gettext_lazy("Decided")),
    ("decision_rate", gettext_lazy("Decided on time (%)")),
    ("first_time", gettext_lazy("Done in one go")),
    ("first_time_rate", gettext_lazy("Done in one go (%)")),
    ("working_days", gettext_lazy("Average working days to the decision")),
]


def definitions() -> list[tuple[str, str]]:
    """How each figure is counted, printed on the page and in the workbook: a clerk must be able to trust them."""
    return [
        (_("Applications"), _("Applications submitted in the period (month of submission, Beijing time), whatever "
                              "became of them. Every other figure counts these same applications: an application "
                              "submitted in March and decided in April is counted in March.")),
        (_("Acceptance on time"), _("Applications whose acceptance was decided (accepted or not accepted) by the due "
                                    "moment of the acceptance clock: 5 working days from receipt, started again on "
                                    "resubmission after a supplement (Administrative Licensing Law art. 32). The rate "
                                    "is over the applications whose acceptance was decided; those still waiting, "
                                    "withdrawn before it or waiting for a supplement are not counted.")),
        (_("Decided on time"), _("Applications approved or denied by the due moment of the decision clock: the "
                                 "promised limit in working days from acceptance, without the special procedures "
                                 "that paused it and with the extension granted (arts. 42 and 45). An item granted "
                                 "on the spot under a commitment counts as decided on time. The rate is over the "
                                 "decided applications.")),
        (_("Done in one go"), _("Decided applications for which no supplement was ever requested (一次办成). The "
                                "rate is over the decided applications.")),
        (_("Average working days to the decision"),
         _("Over the decided applications: working days from the day of receipt to the day of the decision, the day "
           "of receipt not counted (art. 82), on the working-day calendar with its official holidays. It includes "
           "the time the applicant took to supplement and any special procedure: it is what the applicant "
           "waited.")),
        (_("Totals"), _("The same figures over all the applications of the table, not an average of its rows.")),
    ]


def _month(value: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except (TypeError, ValueError):
        return None


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-01"})
    default_error_messages = {"invalid": gettext_lazy("Enter a month as year-month, for example 2026-03.")}

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        month = _month(value.strip())
        if month is None or month.year < 2000:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return month


class StatisticsForm(forms.Form):
    first = MonthField(label=gettext_lazy("From month"))
    last = MonthField(label=gettext_lazy("To month"))
    group = forms.ChoiceField(label=gettext_lazy("One row per"), choices=GROUP_CHOICES)
    department = forms.ModelChoiceField(label=gettext_lazy("Department"), queryset=None, required=False,
                                        empty_label=gettext_lazy("All departments"))
    service = forms.ModelChoiceField(label=gettext_lazy("Service item"), queryset=None, required=False,
                                     empty_label=gettext_lazy("All items"))
    channel = forms.ChoiceField(label=gettext_lazy("Intake channel"), required=False,
                                choices=[("", gettext_lazy("All channels")), *Channel.choices])

    def __init__(self, *args, scope: Scope, **kwargs):
        from apps.catalogue.models import ServiceItem
        from apps.organizations.models import Department

        super().__init__(*args, **kwargs)
        departments = Department.objects.order_by("code")
        services = ServiceItem.objects.order_by("department__code", "code")
        if not scope.city:
            departments = departments.filter(pk=scope.department_id)
            services = services.filter(department_id=scope.department_id)
        self.fields["department"].queryset = departments
        self.fields["service"].queryset = services

    def clean(self):
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first and last:
            if last < first:
                self.add_error("last", _("The last month cannot be before the first."))
            elif (last.year - first.year) * 12 + last.month - first.month >= MAX_MONTHS:
                self.add_error("last", _("Choose at most %(n)s months.") % {"n": MAX_MONTHS})
        return data


def statistics_query(params, *, scope: Scope):
    """The form bound to the query string (from January to this month, one row per month, unless asked otherwise)
    and its figures (None when the form is not valid); the page and the workbook read the same."""
    data = params.copy()
    today = timezone.localdate()
    data.setdefault("first", today.replace(month=1).strftime("%Y-%m"))
    data.setdefault("last", today.strftime("%Y-%m"))
    data.setdefault("group", "month")
    form = StatisticsForm(data, scope=scope)
    if not form.is_valid():
        return form, None
    c = form.cleaned_data
    report = centre_statistics(scope=scope, first=c["first"], last=c["last"], group=c["group"],
                               department=c["department"], service=c["service"], channel=c["channel"])
    return form, report


def statistics_chart(report) -> dict:
    """The chart's data island (static/js/centre-stats.js): applications as bars, the three rates as lines."""
    rows = report["rows"]
    return {"labels": [str(r["name"]) for r in rows], "applications": [r["applications"] for r in rows],
            "acceptance": [r["acceptance_rate"] for r in rows], "decision": [r["decision_rate"] for r in rows],
            "first_time": [r["first_time_rate"] for r in rows],
            "label_applications": _("Applications"), "label_acceptance": _("Acceptance on time (%)"),
            "label_decision": _("Decided on time (%)"), "label_first_time": _("Done in one go (%)")}


def statistics_xlsx(form, report) -> bytes:
    """One flat table as on the page (its grouping, its filters in the title, the totals row last) and a sheet of
    the definitions."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    c = form.cleaned_data
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Statistics")
    filters = [f"{c['first']:%Y-%m} – {c['last']:%Y-%m}"]
    filters += [str(value) for value in (c["department"], c["service"]) if value is not None]
    if c["channel"]:
        filters.append(str(Channel(c["channel"]).label))
    sheet.append([_("Service centre statistics") + " " + " · ".join(filters)])
    sheet["A1"].font = Font(bold=True)
    group_label = dict(GROUP_CHOICES)[c["group"]]
    sheet.append([str(group_label)] + [str(label) for _key, label in COLUMNS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in report["rows"]:
        sheet.append([str(row["name"])] + [row[key] for key, _label in COLUMNS])
    sheet.append([_("Totals")] + [report["totals"][key] for key, _label in COLUMNS])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 30
    notes = workbook.create_sheet(_("Definitions"))
    for term, text in definitions():
        notes.append([term, text])
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 120
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
