from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from apps.core.throttle import Limit, throttle

from . import services
from .selectors import login_identifier_normalise
from .forms import CitizenRegistrationForm, EnterpriseRegistrationForm, LoginForm, PlainPasswordResetForm, \
    PlainSetPasswordForm
from .validators import mask_id_number

BACKEND = "apps.accounts.backends.PhoneOrEmailBackend"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def register_choice(request):
    return render(request, "accounts/register_choice.html")


def register_citizen(request):
    if request.method == "POST" and (limited := throttle(request, Limit.per_address("register_address", request))):
        return limited  # each try tells whether a phone or ID number is registered: a few per hour per address
    form = CitizenRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.citizen_register(
            phone=data["phone"], email=data["email"], password=data["password1"],
            real_name=data["real_name"], id_number=data["id_number"],
        )
        login(request, user, backend=BACKEND)
        messages.success(request, _("Welcome, %(name)s. Your account is ready.") % {"name": user.display_name})
        return redirect("accounts:profile")
    return render(request, "accounts/register.html", {"form": form, "kind": "citizen"})


def register_enterprise(request):
    if request.method == "POST" and (limited := throttle(request, Limit.per_address("register_address", request))):
        return limited  # each try tells whether a phone or ID number is registered: a few per hour per address
    form = EnterpriseRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.enterprise_register(
            phone=data["phone"], email=data["email"], password=data["password1"], name=data["name"],
            credit_code=data["credit_code"], legal_representative=data["legal_representative"],
            contact_name=data["contact_name"],
        )
        login(request, user, backend=BACKEND)
        messages.success(request, _("Welcome, %(name)s. Your account is ready.") % {"name": user.display_name})
        return redirect("accounts:profile")
    return render(request, "accounts/register.html", {"form": form, "kind": "enterprise"})


@login_required
def profile(request):
    user = request.user
    citizen = getattr(user, "citizen_profile", None)
    return render(request, "accounts/profile.html", {
        "citizen": citizen,
        "masked_id_number": mask_id_number(citizen.id_number) if citizen else "",
        "enterprise": getattr(user, "enterprise_profile", None),
    })


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    form_class = PlainPasswordResetForm
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        # Each post may send a mail: a few per address and per mailbox (issue 14).
        email = login_identifier_normalise(request.POST.get("email", ""))
        limited = throttle(request, Limit.per_address("password_reset_address", request),
                           Limit("password_reset_email", email))
        return limited if limited is not None else super().post(request, *args, **kwargs)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = PlainSetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
