import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.attachments.forms import MultipleFileField, MultipleFileInput
from apps.core.forms import PlainErrorsMixin
from apps.organizations.models import AdminUnit

from .constants import DESCRIPTION_MAX, RatingLevel
from .selectors import case_stats, services_active


def category_choices(categories, empty_label):
    """The leaves grouped under their parent (部件/事件 group), groups and leaves in code order: a person scans a
    dozen headings instead of 37 options in one list (issue 19)."""
    groups: dict = {}
    for category in categories:
        groups.setdefault(category.parent, []).append((category.pk, category.name))
    ordered = sorted(groups.items(), key=lambda item: (item[0].kind, item[0].code))
    return [("", empty_label)] + [(f"{parent.get_kind_display()} · {parent.name}", leaves)
                                  for parent, leaves in ordered]


class PhotoReportForm(PlainErrorsMixin, forms.Form):
    """随手拍: what, where (an address; the browser may add coordinates) and photos; the category is optional.
    Citizens are not asked for latitude and longitude: the locate button fills the hidden coordinates."""

    description = forms.CharField(label=_("What is the problem?"), max_length=DESCRIPTION_MAX,
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  error_messages={"required": _("Describe the problem: what is wrong, and where.")})
    category = forms.ModelChoiceField(label=_("Category (if you know it)"), queryset=None, required=False,
                                      empty_label=_("Not sure: the centre decides"))
    photos = MultipleFileField(label=_("Photos (JPEG or PNG, up to 3)"), required=False,
                                widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png",
                                                                "capture": "environment"}))
    address = forms.CharField(label=_("Where (address or landmark)"), max_length=200, required=False,
                              help_text=_("e.g. the crossing of Xinglongtai Street and Zhongxing Road, outside No. 12. "
                                          "Or press “Use my current location”."))
    lat = forms.FloatField(label=_("Latitude"), required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(label=_("Longitude"), required=False, widget=forms.HiddenInput)
    anonymous = forms.BooleanField(label=_("Do not show my name and phone to the handling department"),
                                   required=False)

    field_order = ["description", "address", "lat", "lng", "category", "photos", "anonymous"]  # the page's order

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = services_active()
        self.fields["category"].widget.choices = category_choices(self.fields["category"].queryset,
                                                                  self.fields["category"].empty_label)

    def clean_photos(self):
        return self.cleaned_data.get("photos") or []  # how many: services.case_report (MAX_PHOTOS)


class RatingForm(PlainErrorsMixin, forms.Form):
    level = forms.ChoiceField(label=_("How was it handled?"), choices=RatingLevel.choices, widget=forms.RadioSelect,
                              error_messages={"required": _("Choose how it was handled: satisfied, basically "
                                                            "satisfied or dissatisfied.")})
    comment = forms.CharField(label=_("Comment"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class LookupForm(PlainErrorsMixin, forms.Form):
    number = forms.CharField(label=_("Case number"), max_length=20)
    phone = forms.CharField(label=_("The phone number you called from"), max_length=20)


class StatsForm(forms.Form):
    """绩效考核: one month, grouped by street, community, grid, department or category, optionally within one district
    or street."""

    GROUPS = [("street", _("Street / township")), ("community", _("Community / village")), ("grid", _("Grid")),
              ("department", _("Department")), ("category", _("Category"))]
    month = forms.CharField(label=_("Month"), widget=forms.DateInput(attrs={"type": "month"}),
                            help_text=_("e.g. 2026-11"))
    group = forms.ChoiceField(label=_("Per"), choices=GROUPS, initial="street")
    district = forms.ModelChoiceField(label=_("District"), queryset=None, required=False, to_field_name="code",
                                      empty_label=_("All districts"))
    street = forms.ModelChoiceField(label=_("Street / township"), queryset=None, required=False,
                                    to_field_name="code", empty_label=_("All streets"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = AdminUnit.objects.filter(level="county").order_by("code")
        self.fields["street"].queryset = AdminUnit.objects.filter(level="township").order_by("code")

    def clean_month(self):
        value = self.cleaned_data["month"].strip()
        try:
            first = dt.datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(_("Enter a month as YYYY-MM, e.g. 2026-11.")) from None
        if not 2000 <= first.year <= 2100:
            raise forms.ValidationError(_("Enter a month as YYYY-MM, e.g. 2026-11."))
        return first

    def period(self):
        """[start, end) of the month as aware datetimes in the portal's time zone."""
        first = self.cleaned_data["month"]
        following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return (timezone.make_aware(dt.datetime.combine(first, dt.time.min)),
                timezone.make_aware(dt.datetime.combine(following, dt.time.min)))


def stats_query(params):
    """The statistics form bound to the query string (this month, per street, unless asked otherwise) and its rows;
    the public page, its xlsx and the admin page read the same figures."""
    data = params.copy()
    data.setdefault("month", timezone.localdate().strftime("%Y-%m"))
    data.setdefault("group", "street")
    form = StatsForm(data)
    rows = []
    if form.is_valid():
        start, end = form.period()
        rows = case_stats(group=form.cleaned_data["group"], start=start, end=end,
                          district=form.cleaned_data["district"], street=form.cleaned_data["street"])
    return form, rows


class MapForm(StatsForm):
    """The map: one district (the grids' polygons), one month for the period figures, and what colours the grids —
    the open cases now, or the on-time rate of the month's closed cases (issue 17 item 7)."""

    MEASURES = [("open", _("Open cases now")), ("on_time", _("On-time rate in the month"))]
    measure = forms.ChoiceField(label=_("Colour by"), choices=MEASURES, initial="open", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["group"], self.fields["street"]
        self.fields["district"].required = True
        self.fields["district"].empty_label = None

    def clean_measure(self):
        return self.cleaned_data.get("measure") or "open"

    def chosen_measure(self) -> str:
        return self.cleaned_data.get("measure", "open") if self.is_valid() else "open"


def map_query(params):
    """The map form bound to the query string (兴隆台区 and this month unless asked otherwise) and its rows."""
    from .selectors import grid_map_figures, map_colour

    data = params.copy()
    data.setdefault("month", timezone.localdate().strftime("%Y-%m"))
    data.setdefault("district", "211103")
    form = MapForm(data)
    rows = []
    if form.is_valid():
        start, end = form.period()
        rows = grid_map_figures(district=form.cleaned_data["district"], start=start, end=end)
        map_colour(rows=rows, measure=form.cleaned_data["measure"])
    return form, rows
