from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.validators import validate_mobile
from apps.attachments.forms import AttachmentField
from apps.core.forms import PlainErrorsMixin


class BundleFactsForm(PlainErrorsMixin, forms.Form):
    """The facts every item of the bundle needs, asked once."""

    phone = forms.CharField(label=_("Mobile phone"), max_length=11, validators=[validate_mobile])
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    description = forms.CharField(label=_("What you apply for"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("Optional: anything the departments should know."))

    def __init__(self, *args, conditional=(), **kwargs):
        super().__init__(*args, **kwargs)
        if conditional:
            self.fields["conditions_met"] = forms.TypedMultipleChoiceField(
                label=_("Which of these situations apply to you?"), required=False, coerce=int,
                widget=forms.CheckboxSelectMultiple, choices=[(g.key, g.condition) for g in conditional],
                help_text=_("Each ticked situation adds the material it needs."))
            self.fields["conditions_met"].data_choices = True  # the catalogue's own words


class BundleUploadForm(PlainErrorsMixin, forms.Form):
    file = AttachmentField(label=_("File"))


class BundleSubmitForm(PlainErrorsMixin, forms.Form):
    declaration = forms.BooleanField(
        label=_("I declare that the information and materials I submit are true, complete and valid, and I bear the "
                "legal responsibility for them."),
        error_messages={"required": _("Please confirm the declaration that your materials are true.")})
