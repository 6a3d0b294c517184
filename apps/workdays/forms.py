from django import forms
from django.utils.translation import gettext_lazy as _

from .exceptions import CalendarError
from .services import parse_day_lines


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2004, max_value=2100)
    notice = forms.CharField(label=_("Notice"), max_length=200, required=False,
                             help_text=_("The State Council's notice, e.g. 国办发明电〔2026〕x号"))
    holidays = forms.CharField(
        label=_("Holidays"),
        widget=forms.Textarea(attrs={"rows": 10, "cols": 60}),
        help_text=_("One per line: a date or a range and a name, e.g. “2027-02-05..2027-02-11 春节”."),
    )
    workdays = forms.CharField(
        label=_("Make-up working days"),
        widget=forms.Textarea(attrs={"rows": 5, "cols": 60}),
        required=False,
        help_text=_("Saturdays or Sundays that are working days (调休上班), one per line, e.g. “2027-02-14 春节调休”."),
    )
    accept_differences = forms.BooleanField(
        label=_("The notice really leaves out the statutory holidays named above: save the year as entered"),
        required=False,
        help_text=_("Only when the check above names missing holidays and the notice says so."))

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("year")
        if year is None:
            return cleaned
        for field in ("holidays", "workdays"):
            try:
                cleaned[f"{field}_parsed"] = parse_day_lines(text=cleaned.get(field) or "", year=year)
            except CalendarError as error:
                self.add_error(field, str(error))
        return cleaned
