from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.catalogue.models import Material, ServiceItem
from apps.core.kept import kept_form_data, login_required_keep_post
from apps.core.throttle import Limit, throttle
from apps.workflow.exceptions import AlreadyHandled, TransitionInvalid, WorkflowError
from apps.workflow.selectors import case_is_owner, timeline_public, transitions_available
from apps.workflow.services import transition_perform

from apps.licences.selectors import licences_issued_on

from . import selectors, services
from .constants import AUTHORISATION_PURPOSE, NEXT_STEP, POOR_RATINGS, Status
from .forms import AgentForm, ApplicantForm, LookupForm, MaterialUploadForm, RatingForm, SubmitForm
from .models import Application, Rating

def _kept(request):
    return kept_form_data(request)


def _own(request, pk) -> Application:
    """The applicant's own application; anything else (another user's id, a guess) is a 404."""
    try:
        application = selectors.application_get_for_user(user=request.user, pk=pk)
    except Application.DoesNotExist:
        raise Http404 from None
    if not case_is_owner(user=request.user, obj=application):
        raise Http404
    return application


def _draft_or_redirect(request, application):
    if application.status != Status.DRAFT:
        messages.info(request, _("This application has been submitted; here is its progress."))
        return redirect("applications:detail", pk=application.pk)
    return None


@login_required_keep_post
def apply_start(request, code):
    """Opening the link creates nothing (a link another site shows, a prefetcher, would otherwise make drafts in the
    visitor's account): a draft already begun is resumed, else a page says what the service asks and starts the
    draft on a POST."""
    service = ServiceItem.objects.filter(code=code, is_active=True).first()
    if service is None:
        raise Http404
    if request.method != "POST":
        draft = selectors.application_draft_for(applicant=request.user, service=service)
        if draft is not None:
            return redirect("applications:apply_applicant", pk=draft.pk)
        return render(request, "applications/apply_start.html", {
            "service": service, "materials": service.materials.filter(required=True).order_by("order")})
    try:
        application = services.application_start(applicant=request.user, service=service)
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("catalogue:detail", code=code)
    return redirect("applications:apply_applicant", pk=application.pk)


@login_required_keep_post
def apply_as_agent(request, code):
    """帮办代办: start an application for someone else — found by ID number and phone, or an account opened for
    them — with their signed authorisation letter uploaded with the materials before it is submitted."""
    service = ServiceItem.objects.filter(code=code, is_active=True).first()
    if service is None:
        raise Http404
    form = AgentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Each try tells whether an ID number and a phone belong together: a few per hour per agent (CONVENTIONS 18).
        if limited := throttle(request, Limit("agent_principal_user", str(request.user.pk)),
                               Limit.per_address("agent_principal_user", request)):
            return limited
        data = form.cleaned_data
        try:
            application = services.application_start_as_agent(
                agent=request.user, service=service, relation=data["relation"],
                person=services.Person(id_number=data["id_number"], real_name=data["real_name"], phone=data["phone"]))
        except TransitionInvalid as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            return redirect("applications:apply_applicant", pk=application.pk)
    return render(request, "applications/apply_as_agent.html", {"service": service, "form": form}, status=
                  400 if form.errors else 200)


@login_required_keep_post
def apply_applicant(request, pk):
    application = _own(request, pk)
    if (response := _draft_or_redirect(request, application)) is not None:
        return response
    conditional = application.service.materials.filter(required=False).order_by("order")
    committable = list(application.service.materials.filter(commitment_allowed=True).order_by("order"))
    data = request.POST if request.method == "POST" else _kept(request)
    form = ApplicantForm(data, conditional_materials=conditional, commitment_materials=committable, initial={
        "phone": application.phone, "email": application.email, "address": application.address,
        "description": application.description, "conditions_met": application.conditions_met,
        "commitment": "yes" if application.commitment else "no"})
    if request.method == "POST" and form.is_valid():
        services.application_update(actor=request.user, application=application, phone=form.cleaned_data["phone"],
                                    email=form.cleaned_data["email"], address=form.cleaned_data["address"],
                                    description=form.cleaned_data["description"],
                                    conditions_met=form.cleaned_data.get("conditions_met", []),
                                    commitment=form.cleaned_data.get("commitment", False))
        return redirect("applications:apply_materials", pk=application.pk)
    return render(request, "applications/apply_applicant.html", {
        "application": application, "form": form, "step": 1, "committable": committable})


def _upload(request, application):
    """Handle one material's upload; returns (material_id, form) so the page shows its error next to it."""
    material_id = request.POST.get("material", "")
    if material_id == AUTHORISATION_PURPOSE and application.agent_id:
        form = MaterialUploadForm(request.POST, request.FILES, auto_id="authorisation-%s")
        if form.is_valid():
            try:
                services.application_upload_authorisation(actor=request.user, application=application,
                                                          upload=form.cleaned_data["file"])
            except (ValidationError, WorkflowError) as error:
                form.add_error("file", error.messages if isinstance(error, ValidationError) else str(error))
            else:
                messages.success(request, _("Uploaded: %(name)s") % {"name": _("authorisation letter")})
                return AUTHORISATION_PURPOSE, None
        return AUTHORISATION_PURPOSE, form
    material = (Material.objects.filter(pk=material_id, service=application.service).first()
                if material_id.isascii() and material_id.isdigit() else None)
    if material is None:
        raise Http404
    form = MaterialUploadForm(request.POST, request.FILES, auto_id=f"material-{material.pk}-%s")
    if form.is_valid():
        try:
            services.application_upload_material(actor=request.user, application=application, material=material,
                                                 upload=form.cleaned_data["file"])
        except (ValidationError, WorkflowError) as error:
            form.add_error("file", error.messages if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, _("Uploaded: %(name)s") % {"name": material.name})
            return material.pk, None
    return material.pk, form


@login_required_keep_post
def apply_materials(request, pk):
    application = _own(request, pk)
    if (response := _draft_or_redirect(request, application)) is not None:
        return response
    failed = (None, None)
    if request.method == "POST":
        failed = _upload(request, application)
        if failed[1] is None:
            return redirect("applications:apply_materials", pk=application.pk)
    return render(request, "applications/apply_materials.html", {
        "application": application, "states": selectors.application_materials(application=application),
        "failed_material": failed[0], "failed_form": failed[1], "step": 2,
        "upload_form": MaterialUploadForm(),
        "authorisation": selectors.application_authorisation(application=application) if application.agent_id else None,
    })


@login_required_keep_post
def apply_review(request, pk):
    application = _own(request, pk)
    if request.method == "GET" and (response := _draft_or_redirect(request, application)) is not None:
        return response
    commitment = selectors.application_commitment_in_effect(application=application)
    form = SubmitForm(request.POST or None, commitment=commitment)
    if request.method == "POST" and form.is_valid():
        try:
            application = transition_perform(actor=request.user, obj=application, name="submit",
                                             params=services.Declaration(
                                                 declaration=form.cleaned_data["declaration"],
                                                 commitment_signed=form.cleaned_data.get("commitment_signed", False)))
        except AlreadyHandled:
            # A double submit (two clicks, a reload): the first one made the application; show it.
            messages.info(request, _("This application has already been submitted."))
            return redirect("applications:detail", pk=application.pk)
        except TransitionInvalid as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            if application.status == Status.COMPLETED:
                messages.success(request, _("Submitted and granted on the spot under your commitment. Your reference "
                                            "number is %(ref)s; the decision and the commitment letter are below.")
                                 % {"ref": application.reference})
            else:
                messages.success(request, _("Submitted. Your reference number is %(ref)s.")
                                 % {"ref": application.reference})
            return redirect("applications:detail", pk=application.pk)
    return render(request, "applications/apply_review.html", {
        "application": application, "form": form, "step": 3, "commitment": commitment,
        "states": selectors.application_materials(application=application),
        "missing": selectors.application_missing_materials(application=application),
        "authorisation_missing": bool(application.agent_id)
        and selectors.application_authorisation(application=application) is None,
    })


@login_required_keep_post
def my_applications(request):
    from apps.bundles.selectors import bundle_application_list_for_applicant

    rows = [(a, NEXT_STEP.get(a.status, "")) for a in selectors.application_list_for_applicant(user=request.user)]
    return render(request, "applications/my_applications.html", {
        "rows": rows, "bundles": bundle_application_list_for_applicant(user=request.user)})


@login_required_keep_post
def detail(request, pk):
    application = _own(request, pk)
    failed = (None, None)
    if request.method == "POST" and application.status == Status.SUPPLEMENT_REQUESTED:
        failed = _upload(request, application)
        if failed[1] is None:
            return redirect("applications:detail", pk=application.pk)
    return _detail(request, application, failed=failed)


def _detail(request, application, *, failed=(None, None), rating_form=None, status=200):
    rating = Rating.objects.filter(application=application).first()
    next_step = NEXT_STEP.get(application.status)
    if application.status == Status.COMPLETED and rating is not None:
        next_step = _("Completed. Thank you for your rating.")
    return render(request, "applications/detail.html", {
        "application": application, "next_step": next_step,
        "timeline": timeline_public(obj=application),
        "documents": selectors.application_documents(application=application),
        "results": selectors.application_results(application=application),
        "licences": licences_issued_on(application=application),
        "states": selectors.application_materials(application=application),
        "supplement": selectors.application_open_supplement(application=application),
        "failed_material": failed[0], "failed_form": failed[1], "upload_form": MaterialUploadForm(),
        # Offered when the declared withdraw transition is open to this person (transitions.py), not re-derived here.
        "can_withdraw": "withdraw" in {t.name for t in transitions_available(user=request.user, obj=application)},
        "rating": rating,
        "rating_form": rating_form or (RatingForm() if application.status == Status.COMPLETED else None),
    }, status=status)


def _act(request, pk, name, success):
    application = _own(request, pk)
    try:
        transition_perform(actor=request.user, obj=application, name=name)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("applications:detail", pk=application.pk)


@require_POST
@login_required_keep_post
def resubmit(request, pk):
    return _act(request, pk, "resubmit", _("Resubmitted. The department decides on acceptance within 5 working days."))


@login_required_keep_post
def withdraw(request, pk):
    """撤回 asks first, on a page of its own that works without scripts: what will happen, and a way back. Only the
    confirmation's own button (``confirm``) reaches the one door, transition_perform."""
    application = _own(request, pk)
    if request.method == "POST" and request.POST.get("confirm") == "withdraw":
        return _act(request, pk, "withdraw", _("Your application has been withdrawn."))
    if "withdraw" not in {t.name for t in transitions_available(user=request.user, obj=application)}:
        messages.error(request, _("This application can no longer be withdrawn."))
        return redirect("applications:detail", pk=application.pk)
    return render(request, "applications/withdraw_confirm.html", {"application": application})


@require_POST
@login_required_keep_post
def rate(request, pk):
    application = _own(request, pk)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.application_rate(actor=request.user, application=application, level=form.cleaned_data["level"],
                                      comment=form.cleaned_data["comment"])
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you for your rating."))
            return redirect("applications:detail", pk=application.pk)
    # The page again with the form as it was sent: the comment typed stays, the message names the missing level.
    return _detail(request, application, rating_form=form, status=400)


def lookup(request):
    form = LookupForm(request.GET or None)
    application, searched = None, False
    if request.GET and form.is_valid():
        # A reference falls to 10,000 guesses of four digits: count tries per address and per reference (issue 14).
        limited = throttle(request, Limit.per_address("application_lookup_address", request),
                           Limit("application_lookup_reference", form.cleaned_data["reference"].strip().upper()))
        if limited is not None:
            return limited
        searched = True
        application = selectors.application_lookup(reference=form.cleaned_data["reference"],
                                                   phone_last4=form.cleaned_data["phone_last4"])
    return render(request, "applications/lookup.html", {
        "form": form, "application": application, "searched": searched,
        "timeline": timeline_public(obj=application) if application else [],
        "next_step": NEXT_STEP.get(application.status) if application else "",
    }, status=404 if searched and application is None else 200)


def satisfaction(request):
    """Public 好差评 figures per department and per service."""
    poor = Q(rating__level__in=POOR_RATINGS)
    rated = Application.objects.filter(rating__isnull=False)
    by_department = (rated.values("department__name").annotate(n=Count("id"), avg=Avg("rating__level"),
                                                                  poor=Count("id", filter=poor))
                     .order_by("department__name"))
    by_service = (rated.values("service__name", "service__code").annotate(n=Count("id"), avg=Avg("rating__level"),
                                                                          poor=Count("id", filter=poor))
                  .order_by("-n")[:50])
    return render(request, "applications/satisfaction.html", {"by_department": by_department, "by_service": by_service})
