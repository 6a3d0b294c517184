from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.validators import validate_mobile
from apps.organizations.models import Department

from .constants import ORGANISATION_TYPES, Delivery, InfoFormat, RequesterType


class RequestForm(forms.Form):
    """政府信息公开条例 art. 29: who asks (from the account), what information, in what form and how delivered."""

    department = forms.ModelChoiceField(
        label=_("Agency you ask"), queryset=Department.objects.order_by("name"), empty_label="—",
        error_messages={"required": _("Choose the agency that holds the information.")})
    description = forms.CharField(
        label=_("Information requested"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Describe it so that the agency can find it: its subject, period, place, and the document if you "
                    "know it."),
        error_messages={"required": _("Describe the information you ask for.")})
    document_number = forms.CharField(label=_("Document number or title, if known"), max_length=200, required=False,
                                      help_text=_("e.g. 盘政发〔2026〕3号"))
    info_format = forms.ChoiceField(label=_("Form"), choices=InfoFormat.choices, initial=InfoFormat.ELECTRONIC,
                                    widget=forms.RadioSelect)
    delivery = forms.ChoiceField(label=_("How you want to receive it"), choices=Delivery.choices,
                                 initial=Delivery.ONLINE, widget=forms.RadioSelect)
    phone = forms.CharField(label=_("Mobile phone"), max_length=11, validators=[validate_mobile],
                            error_messages={"required": _("Enter your mobile phone: the agency tells you by SMS.")})
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    address = forms.CharField(label=_("Postal address"), max_length=200, required=False,
                              help_text=_("Needed only when it is sent by post."))

    organisation_type = forms.ChoiceField(
        label=_("Your organisation is"), required=False, initial=RequesterType.BUSINESS,
        choices=[(t.value, t.label) for t in ORGANISATION_TYPES], widget=forms.RadioSelect,
        help_text=_("The agency's annual report counts requests by the kind of requester."))

    def __init__(self, *args, organisation: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not organisation:
            del self.fields["organisation_type"]  # a citizen asks as a natural person

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("delivery") == Delivery.POST and not cleaned.get("address"):
            self.add_error("address", _("Enter the postal address to send it to."))
        if cleaned.get("delivery") == Delivery.EMAIL and not cleaned.get("email"):
            self.add_error("email", _("Enter the e-mail address to send it to."))
        return cleaned


class SupplementForm(forms.Form):
    text = forms.CharField(label=_("Your clarification"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
                           error_messages={"required": _("Write your clarification.")})
