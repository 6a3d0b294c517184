from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from . import services
from .forms import CitizenRegistrationForm, EnterpriseRegistrationForm, LoginForm
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
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
