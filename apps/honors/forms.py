from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.forms import PlainErrorsMixin
from apps.attachments.forms import MultipleFileField, MultipleFileInput
from apps.organizations.constants import AdminLevel
from apps.organizations.models import AdminUnit

from .constants import ELIGIBILITY_STATEMENTS, MATERIAL_LABELS, MAX_IMAGES_PER_PRODUCT, SECTION_MAX_CHARS, \
    Industry, IssuerLevel
from .selectors import categories_active
from .services import issued_on_error

# Plain words (issue 19): the help names no tags; the sanitiser still keeps the few it allows (services.ALLOWED_TAGS).
# Lazy as a whole: a lazy string formatted at import would be frozen in the language active then.
SECTION_HELP = lazy(lambda: gettext("Write plain text: each line becomes a paragraph. At most %(n)s characters. "
                                    "Links, pictures and scripts are not shown.") % {"n": SECTION_MAX_CHARS}, str)()


class ApplicationForm(PlainErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Enterprise name"), max_length=200)
    industry = forms.ChoiceField(label=_("Industry"), choices=[("", "—")] + Industry.choices)
    district = forms.ModelChoiceField(label=_("District"), queryset=AdminUnit.objects.none(), empty_label="—")
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    profile = forms.CharField(label=_("Company profile (企业概况)"), required=False, help_text=SECTION_HELP,
                              widget=forms.Textarea(attrs={"rows": 6}))
    development = forms.CharField(label=_("Development (企业发展)"), required=False, help_text=SECTION_HELP,
                                  widget=forms.Textarea(attrs={"rows": 6}))
    brand = forms.CharField(label=_("Brand building (品牌建设)"), required=False, help_text=SECTION_HELP,
                            widget=forms.Textarea(attrs={"rows": 6}))
    products_intro = forms.CharField(label=_("Product showcase introduction (产品展示)"), required=False,
                                     help_text=SECTION_HELP, widget=forms.Textarea(attrs={"rows": 4}))
    eligibility_confirmed = forms.BooleanField(
        label=_("Our enterprise meets every eligibility statement above (入选条件)"), required=False)

    eligibility_statements = ELIGIBILITY_STATEMENTS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = AdminUnit.objects.filter(
            level__in=[AdminLevel.CITY, AdminLevel.COUNTY]).order_by("code")


class HonorForm(PlainErrorsMixin, forms.Form):
    category = forms.ModelChoiceField(label=_("Honor"), queryset=None, empty_label="—")
    issuer = forms.CharField(label=_("Issuing authority"), max_length=100, help_text=_("The authority on the certificate."))
    issuer_level = forms.ChoiceField(label=_("Issuer level"), choices=IssuerLevel.choices,
                                     help_text=_("Only certificates of a municipal or higher authority count."))
    issued_on = forms.DateField(label=_("Date of issue"), widget=forms.DateInput(attrs={"type": "date"}))
    number = forms.CharField(label=_("Certificate number"), max_length=60)
    scan = forms.FileField(label=_("Certificate scan (PDF, JPEG or PNG)"))
    kept_scan = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, kept=None, **kwargs):
        """``kept``: the scan kept with the draft (an Attachment): then choosing a file again is optional."""
        super().__init__(*args, **kwargs)
        self.keep(kept)
        self.fields["category"].queryset = categories_active()
        self.fields["category"].label_from_instance = lambda c: f"{c.name}（{c.department.name}审查）"

    def keep(self, kept):
        self.kept_files = {"scan": kept.original_name} if kept is not None else {}
        self.fields["scan"].required = kept is None
        if kept is not None:
            self.initial["kept_scan"] = str(kept.pk)
            if self.is_bound:
                self.data = self.data.copy()
                self.data[self.add_prefix("kept_scan")] = str(kept.pk)

    def clean_issued_on(self):
        value = self.cleaned_data["issued_on"]
        if error := issued_on_error(value):  # the service's rule, shown beside the field
            raise forms.ValidationError(error)
        return value


class ProductForm(PlainErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Product name"), max_length=100)
    model = forms.CharField(label=_("Model"), max_length=60, required=False)
    specification = forms.CharField(label=_("Specification"), max_length=200, required=False)
    standard = forms.CharField(label=_("Standard followed"), max_length=100, required=False,
                               help_text=_("e.g. GB/T 1354-2018"))
    technical_requirements = forms.CharField(label=_("Technical requirements"), max_length=1000, required=False,
                                             widget=forms.Textarea(attrs={"rows": 3}))
    description = forms.CharField(label=_("Functions and features"), max_length=1000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    # Formatted when shown, in the reader's language (a lazy string formatted here would be fixed at import).
    images = MultipleFileField(label=lazy(lambda: gettext("Images (JPEG or PNG, at least one, at most %(n)s)")
                                          % {"n": MAX_IMAGES_PER_PRODUCT}, str)(),
                                widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
    video = forms.FileField(label=_("Short video (optional, MP4 or WebM)"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "video/mp4,video/webm"}))


class MaterialForm(PlainErrorsMixin, forms.Form):
    purpose = forms.ChoiceField(label=_("Material"), choices=list(MATERIAL_LABELS.items()))
    upload = forms.FileField(label=_("File (PDF, JPEG, PNG or OFD)"))


class SubmitForm(PlainErrorsMixin, forms.Form):
    declaration = forms.BooleanField(
        label=_("We declare that every material and statement submitted is true, and accept the consequences of "
                "any falsehood (申报材料真实性声明)."), required=False)


class ShowcaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ModelChoiceField(label=_("Honor"), queryset=None, required=False, empty_label=_("All honors"))
    industry = forms.ChoiceField(label=_("Industry"), choices=[("", _("All industries"))] + Industry.choices,
                                 required=False)
    district = forms.ModelChoiceField(label=_("District"), queryset=None, required=False,
                                      empty_label=_("All districts"), to_field_name="code")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories_active()
        self.fields["category"].to_field_name = "code"
        self.fields["district"].queryset = AdminUnit.objects.filter(
            level__in=[AdminLevel.CITY, AdminLevel.COUNTY]).order_by("code")
