from django import forms
from django.contrib.auth import password_validation
from django.db.models import Q
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from apps.core.forms import PlainErrorsMixin
from .models import CitizenProfile, EnterpriseProfile, User
from .validators import (
    normalize_credit_code,
    normalize_id_number,
    validate_credit_code,
    validate_id_number,
    validate_mobile,
)


class LoginForm(PlainErrorsMixin, AuthenticationForm):
    username = forms.CharField(
        label=_("Mobile phone or e-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _("The phone / e-mail or the password is wrong. Both are case-sensitive."),
        "inactive": _("This account is disabled."),
    }


class _RegistrationForm(PlainErrorsMixin, forms.Form):
    phone = forms.CharField(label=_("Mobile phone"), max_length=11, validators=[validate_mobile],
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "numeric"}))
    email = forms.EmailField(label=_("E-mail (optional, for password reset)"), required=False, max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password1 = forms.CharField(label=_("Password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=_("At least 8 characters, not only digits, not a common password."))
    password2 = forms.CharField(label=_("Password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        existing = User.objects.filter(Q(phone=phone) | Q(username=phone)).first()
        if existing is not None and not existing.has_usable_password() and existing.kind == "citizen":
            # 综合窗口 / 帮办代办: an account opened for the person without a password is claimed, not registered.
            raise forms.ValidationError(_("An account was opened with this mobile phone at a service-centre window "
                                          "or by an agent. Claim it instead (link below)."), code="offline_account")
        if existing is not None:
            raise forms.ValidationError(_("An account with this mobile phone already exists. Log in instead."))
        return phone

    def clean_email(self):
        email = self.cleaned_data.get("email", "").strip().lower()
        if email and User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this e-mail already exists."))
        return email

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            try:
                password_validation.validate_password(p1, User(username=cleaned.get("phone", "")))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        if self._errors:
            # Everything else typed comes back; a password is never sent back to the browser, so say so (issue 19).
            for name in ("password1", "password2"):  # the bound field copies its help text when it is made
                self.fields[name].help_text = self[name].help_text = _(
                    "For your safety the password is not shown again: type it once more.")
        return cleaned


class CitizenRegistrationForm(_RegistrationForm):
    real_name = forms.CharField(label=_("Real name"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    id_number = forms.CharField(label=_("Resident ID number"), max_length=18, validators=[validate_id_number])

    field_order = ["real_name", "id_number", "phone", "email", "password1", "password2"]

    def clean_id_number(self):
        value = normalize_id_number(self.cleaned_data["id_number"])
        profile = CitizenProfile.objects.select_related("user").filter(id_number=value).first()
        if profile is not None and not profile.user.has_usable_password():
            raise forms.ValidationError(_("An account was opened for this ID number at a service-centre window or by "
                                          "an agent. Claim it with your mobile phone instead (link below)."),
                                        code="offline_account")
        if profile is not None:
            raise forms.ValidationError(_("This ID number is already registered. Log in or reset your password."))
        return value


class EnterpriseRegistrationForm(_RegistrationForm):
    name = forms.CharField(label=_("Enterprise name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "organization"}))
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=18, validators=[validate_credit_code])
    legal_representative = forms.CharField(label=_("Legal representative"), max_length=50)
    contact_name = forms.CharField(label=_("Contact person"), max_length=50)

    field_order = ["name", "credit_code", "legal_representative", "contact_name", "phone", "email", "password1", "password2"]

    def clean_credit_code(self):
        value = normalize_credit_code(self.cleaned_data["credit_code"])
        if EnterpriseProfile.objects.filter(credit_code=value).exists():
            raise forms.ValidationError(_("This enterprise is already registered."))
        return value

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].label = _("Contact mobile phone")


class PlainPasswordResetForm(PlainErrorsMixin, PasswordResetForm):
    """Django's form with messages that name the field (issue 19)."""


class PlainSetPasswordForm(PlainErrorsMixin, SetPasswordForm):
    """Django's form with messages that name the field (issue 19)."""


class ClaimStartForm(PlainErrorsMixin, forms.Form):
    """认领账户, step 1: the ID number and the mobile phone given at the window."""

    id_number = forms.CharField(label=_("Resident ID number"), max_length=18, validators=[validate_id_number])
    phone = forms.CharField(label=_("Mobile phone"), max_length=11, validators=[validate_mobile],
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "numeric"}),
                            help_text=_("The mobile phone you gave at the service-centre window or to your agent."))

    def clean_id_number(self):
        return normalize_id_number(self.cleaned_data["id_number"])


class ClaimConfirmForm(PlainErrorsMixin, forms.Form):
    """认领账户, step 2: the code sent by SMS and the new password."""

    code = forms.CharField(label=_("Code from the SMS"), min_length=6, max_length=6,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))
    password1 = forms.CharField(label=_("Password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=_("At least 8 characters, not only digits, not a common password."))
    password2 = forms.CharField(label=_("Password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, phone: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.phone = phone

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            try:
                password_validation.validate_password(p1, User(username=self.phone))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
