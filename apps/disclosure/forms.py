from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import Audience, Channel, Mode
from .models import Entry
from .validators import validate_enquiry_phone, validate_no_formula

TEXT_FIELDS = ["category_l1", "category_l2", "content_elements", "basis", "time_limit", "publisher",
               "responsible_section", "channels_other", "audience_group", "enquiry_phone"]


class EntryForm(forms.ModelForm):
    """One row of the official table. Channels are ticked; 其他 needs its text; a specific group needs its name."""

    channels = forms.MultipleChoiceField(label=_("Channels and carriers"), choices=Channel.choices,
                                         widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Entry
        fields = ["catalogue", "position", "category_l1", "category_l2", "content_elements", "basis", "time_limit",
                  "publisher", "responsible_section", "channels", "channels_other", "audience", "audience_group",
                  "mode", "enquiry_phone"]
        widgets = {
            "content_elements": forms.Textarea(attrs={"rows": 3, "cols": 70}),
            "basis": forms.Textarea(attrs={"rows": 2, "cols": 70}),
            "audience": forms.RadioSelect, "mode": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["channels"] = self.instance.channel_codes
        for name in TEXT_FIELDS:
            if name in self.fields:
                self.fields[name].validators.append(validate_no_formula)
        self.fields["enquiry_phone"].validators.append(validate_enquiry_phone)
        self.fields["enquiry_phone"].help_text = _("One or more numbers separated by 、 e.g. 0427-2826109、12345")
        self.fields["position"].required = False

    def clean_channels(self):
        return ",".join(self.cleaned_data["channels"])

    def clean(self):
        data = super().clean()
        if "other" in (data.get("channels") or "").split(",") and not data.get("channels_other", "").strip():
            self.add_error("channels_other", _("Name the other channel."))
        if data.get("audience") == Audience.SPECIFIC_GROUP and not data.get("audience_group", "").strip():
            self.add_error("audience_group", _("Name the specific group."))
        if data.get("mode") not in Mode.values:
            self.add_error("mode", _("Choose how the information is disclosed."))
        return data


class RetireForm(forms.Form):
    reason = forms.CharField(label=_("Reason for retiring"), widget=forms.Textarea(attrs={"rows": 3, "cols": 70}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx) in the layout of the official template"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
