from django import forms
from django.utils.translation import gettext_lazy as _

from .columns import COLUMN_FIELDS
from .constants import Channel, DomainKind
from .models import Entry
from .tables import entry_check


class EntryForm(forms.ModelForm):
    """One row of the official table. Channels are ticked; 其他 needs its text; a specific group needs its name.

    The rules are the table's: the row typed here is checked as a row of an imported table
    (``tables.entry_check``), and its errors shown beside the fields they concern."""

    channels = forms.MultipleChoiceField(label=_("Channels and carriers"), choices=Channel.choices,
                                         widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Entry
        fields = ["catalogue", *COLUMN_FIELDS]
        widgets = {
            "content_elements": forms.Textarea(attrs={"rows": 3, "cols": 70}),
            "basis": forms.Textarea(attrs={"rows": 2, "cols": 70}),
            "audience": forms.RadioSelect, "mode": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["channels"] = self.instance.channel_codes
        # The admin leaves out every field when the page is read-only (the reviewer, a retired entry): only the
        # fields present are adjusted.
        if "enquiry_phone" in self.fields:
            self.fields["enquiry_phone"].help_text = _("One or more numbers separated by 、 e.g. 0427-2826109、12345")
        if "position" in self.fields:
            self.fields["position"].required = False

    def clean_channels(self):
        return ",".join(self.cleaned_data["channels"])

    def clean(self):
        data = super().clean()
        entry = self.instance if self.instance.pk else None
        catalogue = entry.catalogue if entry is not None else data.get("catalogue")
        village = catalogue is not None and catalogue.domain.kind == DomainKind.VILLAGE_AFFAIRS
        _data, errors = entry_check(entry=entry, data={name: data.get(name) for name in COLUMN_FIELDS},
                                    village=village)
        for error in errors:
            field = error.field if error.field in self.fields else None
            if field is not None and self.has_error(field):
                continue  # the field's own check already said what is wrong
            self.add_error(field, error.message)
        return data


class RetireForm(forms.Form):
    reason = forms.CharField(label=_("Reason for retiring"), widget=forms.Textarea(attrs={"rows": 3, "cols": 70}))


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment for the agency"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
                           help_text=_("Say what is wrong with this entry and how to put it right."))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx) in the layout of the official template"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
