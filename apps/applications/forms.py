from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import PlainErrorsMixin
from apps.accounts.validators import validate_mobile
from apps.attachments.forms import AttachmentField

from .constants import AgentRelation, RatingLevel


class ApplicantForm(PlainErrorsMixin, forms.Form):
    phone = forms.CharField(label=_("Mobile phone"), max_length=11, validators=[validate_mobile])
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    description = forms.CharField(label=_("What you apply for"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("Optional: anything the department should know."))

    def __init__(self, *args, conditional_materials=(), commitment_materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.conditional_materials = list(conditional_materials)
        if commitment_materials:
            # 告知承诺制: the item lets a signed commitment replace these materials.
            self.fields["commitment"] = forms.TypedChoiceField(
                label=_("How do you provide these materials?"), coerce=lambda v: v == "yes",
                required=False, empty_value=False,
                choices=[("no", _("I upload them")),
                         ("yes", _("I sign a commitment instead (告知承诺制): you read the conditions before "
                                   "submitting"))],
                widget=forms.RadioSelect, initial="no",
                help_text=_("A commitment found false later revokes the decision and is recorded as dishonesty."))
            # The materials' names are the service item's own words: shown after the label, marked as Chinese.
            self.fields["commitment"].label_data = "、".join(m.name for m in commitment_materials)
        if self.conditional_materials:
            self.fields["conditions_met"] = forms.TypedMultipleChoiceField(
                label=_("Which of these situations apply to you?"), required=False, coerce=int,
                widget=forms.CheckboxSelectMultiple,
                choices=[(m.pk, m.condition) for m in self.conditional_materials],
                help_text=_("Each ticked situation adds the material it needs."))
            self.fields["conditions_met"].data_choices = True  # the service item's own words


class MaterialUploadForm(PlainErrorsMixin, forms.Form):
    file = AttachmentField(label=_("File"))


class SubmitForm(PlainErrorsMixin, forms.Form):
    declaration = forms.BooleanField(
        label=_("I declare that the information and materials I submit are true, complete and valid, and I bear the "
                "legal responsibility for them."),
        error_messages={"required": _("Please confirm the declaration that your materials are true.")})

    def __init__(self, *args, commitment: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if commitment:
            self.fields["commitment_signed"] = forms.BooleanField(
                label=_("I have read the notice above and commit that I meet its conditions. I know that a false "
                        "commitment revokes the decision and any licence issued on it, and is recorded as "
                        "dishonesty."),
                error_messages={"required": _("Please sign the commitment: tick that you have read the notice and "
                                              "commit to its conditions, or go back and provide the materials "
                                              "instead.")})


class LookupForm(PlainErrorsMixin, forms.Form):
    reference = forms.CharField(label=_("Reference number"), max_length=32,
                                widget=forms.TextInput(attrs={"placeholder": "YW-20261122-000123-7KQ3"}))
    phone_last4 = forms.CharField(label=_("Last four digits of the applicant's mobile phone"), min_length=4,
                                  max_length=4, widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                                                "autocomplete": "off"}))


class RatingForm(PlainErrorsMixin, forms.Form):
    level = forms.TypedChoiceField(label=_("How satisfied are you?"), coerce=int, choices=RatingLevel.choices,
                                   widget=forms.RadioSelect,
                                   error_messages={"required": _("Choose how satisfied you are, from very satisfied "
                                                                 "to very dissatisfied.")})
    comment = forms.CharField(label=_("Comment"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class AgentForm(PlainErrorsMixin, forms.Form):
    """帮办代办: the person you apply for, from their ID card, and who you are to them."""

    real_name = forms.CharField(label=_("Their real name"), max_length=50)
    id_number = forms.CharField(label=_("Their resident ID number"), max_length=18)
    phone = forms.CharField(label=_("Their mobile phone"), max_length=11, validators=[validate_mobile],
                            help_text=_("They are told about the application on this phone, and claim it with it."))
    relation = forms.ChoiceField(label=_("You are their"), choices=AgentRelation.choices, widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        from apps.accounts.validators import validate_id_number

        super().__init__(*args, **kwargs)
        self.fields["id_number"].validators.append(validate_id_number)
