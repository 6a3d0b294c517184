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
from .exceptions import AccountError
from .forms import ClaimConfirmForm, ClaimStartForm
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


# --- 认领账户: an account opened at a window or by an agent, claimed online with its phone (issue 16) --------------

CLAIM_SESSION_KEY = "account_claim"


def claim_start(request):
    form = ClaimStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Each try sends an SMS and tells (by the code arriving) whether ID number and phone match: a few per hour
        # per address and per ID number (CONVENTIONS 18).
        limited = throttle(request, Limit.per_address("claim_address", request),
                           Limit("claim_id_number", form.cleaned_data["id_number"]))
        if limited is not None:
            return limited
        services.claim_code_send(id_number=form.cleaned_data["id_number"], phone=form.cleaned_data["phone"])
        request.session[CLAIM_SESSION_KEY] = {"id_number": form.cleaned_data["id_number"],
                                              "phone": form.cleaned_data["phone"]}
        # The same answer whether or not they matched: a stranger learns nothing from this page.
        messages.info(request, _("If the ID number and the mobile phone match an account opened for you, a code has "
                                 "been sent to that phone by SMS."))
        return redirect("accounts:claim_confirm")
    return render(request, "accounts/claim_start.html", {"form": form})


def claim_confirm(request):
    pending = request.session.get(CLAIM_SESSION_KEY)
    if not pending:
        return redirect("accounts:claim")
    form = ClaimConfirmForm(request.POST or None, phone=pending["phone"])
    if request.method == "POST":
        if limited := throttle(request, Limit.per_address("claim_confirm_address", request)):
            return limited
        if form.is_valid():
            try:
                user = services.account_claim(id_number=pending["id_number"], phone=pending["phone"],
                                              code=form.cleaned_data["code"], password=form.cleaned_data["password1"])
            except AccountError as error:
                form.add_error("code", str(error))
            else:
                request.session.pop(CLAIM_SESSION_KEY, None)
                login(request, user, backend=BACKEND)
                messages.success(request, _("Welcome, %(name)s. Your account is yours now: here are the applications "
                                            "registered for you.") % {"name": user.display_name})
                return redirect("applications:mine")
        if form.errors:
            for name in ("password1", "password2"):
                self_help = _("For your safety the password is not shown again: type it once more.")
                form.fields[name].help_text = form[name].help_text = self_help
    return render(request, "accounts/claim_confirm.html", {"form": form, "phone": pending["phone"]})


# --- 实名核验 (ADR 0011) ----------------------------------------------------------------------------------------------

@login_required
def identity(request):
    """The account's identity: verified (how, when) or the ways to verify it — online through the national identity
    service where the city has connected one, else at any service window with the ID card."""
    from .identity import identity_backend

    user = request.user
    if user.kind not in ("citizen", "enterprise"):
        return redirect("accounts:profile")
    backend = identity_backend()
    error = ""
    if request.method == "POST" and not user.identity_verified:
        # Each try is a call to the national service, which tells whether a name and number belong together.
        if limited := throttle(request, Limit("identity_check_user", str(user.pk))):
            return limited
        try:
            services.account_identity_check_online(user=user)
        except AccountError as problem:
            error = str(problem)
        else:
            messages.success(request, _("Your identity is verified. The electronic licences held under your number "
                                        "are yours to use now."))
            return redirect("licences:mine")
    return render(request, "accounts/identity.html", {"backend": backend, "error": error},
                  status=400 if error else 200)
