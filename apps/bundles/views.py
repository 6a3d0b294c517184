from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core.kept import kept_form_data, login_required_keep_post
from apps.workflow.exceptions import AlreadyHandled, TransitionInvalid, WorkflowError
from apps.workflow.selectors import case_is_owner, timeline_public
from apps.workflow.services import transition_perform

from . import selectors, services
from .constants import BundleStatus, DocumentKinds
from .forms import BundleFactsForm, BundleSubmitForm, BundleUploadForm
from .models import Bundle, BundleApplication


def bundle_list(request):
    """一件事一次办: the published bundles, each with its items."""
    return render(request, "bundles/list.html", {"bundles": selectors.bundle_list_public()})


def bundle_page(request, code):
    """A bundle's page: its items in order, what waits for what, and the materials — each asked once."""
    try:
        bundle = selectors.bundle_get_public(code=code)
    except Bundle.DoesNotExist:
        raise Http404 from None
    items = selectors.bundle_items(bundle=bundle)
    draft = (selectors.bundle_draft_for(applicant=request.user, bundle=bundle)
             if request.user.is_authenticated else None)
    return render(request, "bundles/bundle.html", {
        "bundle": bundle, "items": items, "draft": draft,
        "materials": selectors.bundle_materials(bundle=bundle, items=items)})


@login_required_keep_post
def apply_start(request, code):
    """Starts (or resumes) the draft on a POST only: a link followed creates nothing."""
    if request.method != "POST":
        return redirect("bundles:bundle", code=code)
    bundle = Bundle.objects.filter(code=code, is_active=True).first()
    if bundle is None:
        raise Http404
    try:
        draft = services.bundle_start(applicant=request.user, bundle=bundle)
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("bundles:bundle", code=code)
    return redirect("bundles:apply_facts", pk=draft.pk)


def _own(request, pk) -> BundleApplication:
    """The applicant's (or agent's) own bundle application; anyone else's id is a 404."""
    try:
        bundle_application = selectors.bundle_application_get_for_user(user=request.user, pk=pk)
    except BundleApplication.DoesNotExist:
        raise Http404 from None
    if not case_is_owner(user=request.user, obj=bundle_application):
        raise Http404
    return bundle_application


def _draft_or_redirect(request, bundle_application):
    if bundle_application.status != BundleStatus.DRAFT:
        messages.info(request, _("This application has been submitted; here is its progress."))
        return redirect("bundles:detail", pk=bundle_application.pk)
    return None


@login_required_keep_post
def apply_facts(request, pk):
    bundle_application = _own(request, pk)
    if (response := _draft_or_redirect(request, bundle_application)) is not None:
        return response
    conditional = [g for g in selectors.bundle_materials(bundle=bundle_application.bundle) if g.conditional]
    data = request.POST if request.method == "POST" else kept_form_data(request)
    form = BundleFactsForm(data, conditional=conditional, initial={
        "phone": bundle_application.phone, "email": bundle_application.email,
        "address": bundle_application.address, "description": bundle_application.description,
        "conditions_met": bundle_application.conditions_met})
    if request.method == "POST" and form.is_valid():
        try:
            services.bundle_update(actor=request.user, bundle_application=bundle_application,
                                   phone=form.cleaned_data["phone"], email=form.cleaned_data["email"],
                                   address=form.cleaned_data["address"],
                                   description=form.cleaned_data["description"],
                                   conditions_met=form.cleaned_data.get("conditions_met") or [])
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            return redirect("bundles:apply_materials", pk=bundle_application.pk)
    return render(request, "bundles/apply_facts.html", {
        "bundle_application": bundle_application, "form": form, "step": 1,
        "items": selectors.bundle_items(bundle=bundle_application.bundle)}, status=400 if form.errors else 200)


@login_required_keep_post
def apply_materials(request, pk):
    bundle_application = _own(request, pk)
    if (response := _draft_or_redirect(request, bundle_application)) is not None:
        return response
    failed_key, failed_form = None, None
    if request.method == "POST":
        form = BundleUploadForm(request.POST, request.FILES)
        try:
            key = int(request.POST.get("material", ""))
        except ValueError:
            key = None
        if form.is_valid() and key is not None:
            try:
                services.bundle_upload_material(actor=request.user, bundle_application=bundle_application, key=key,
                                                upload=form.cleaned_data["file"])
            except (ValidationError, WorkflowError) as error:
                form.add_error("file", error.messages if isinstance(error, ValidationError) else str(error))
            else:
                messages.success(request, _("Uploaded."))
                return redirect("bundles:apply_materials", pk=bundle_application.pk)
        elif key is None:
            form.add_error("file", _("Choose which material this file is."))
        failed_key, failed_form = key, form
    return render(request, "bundles/apply_materials.html", {
        "bundle_application": bundle_application, "step": 2,
        "materials": selectors.bundle_materials(bundle=bundle_application.bundle,
                                                bundle_application=bundle_application),
        "failed_key": failed_key, "failed_form": failed_form}, status=400 if failed_form else 200)


@login_required_keep_post
def apply_review(request, pk):
    bundle_application = _own(request, pk)
    if request.method == "GET" and (response := _draft_or_redirect(request, bundle_application)) is not None:
        return response
    form = BundleSubmitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            bundle_application = transition_perform(
                actor=request.user, obj=bundle_application, name="submit",
                params=services.BundleDeclaration(declaration=form.cleaned_data["declaration"]))
        except AlreadyHandled:
            messages.info(request, _("This application has already been submitted."))
            return redirect("bundles:detail", pk=bundle_application.pk)
        except TransitionInvalid as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("Submitted. Your reference number is %(ref)s; each item is now with its "
                                        "department.") % {"ref": bundle_application.reference})
            return redirect("bundles:detail", pk=bundle_application.pk)
    materials = selectors.bundle_materials(bundle=bundle_application.bundle, bundle_application=bundle_application)
    return render(request, "bundles/apply_review.html", {
        "bundle_application": bundle_application, "form": form, "step": 3, "materials": materials,
        "items": selectors.bundle_items(bundle=bundle_application.bundle),
        "missing": [g for g in materials if not g.satisfied]}, status=400 if form.errors else 200)


@login_required_keep_post
def detail(request, pk):
    """The applicant's one page: every item, its department, status, date due, documents; what a refusal means for
    the others; the combined result notice at the end."""
    from apps.documents.selectors import documents_for_case

    bundle_application = _own(request, pk)
    if bundle_application.status == BundleStatus.DRAFT:
        return redirect("bundles:apply_facts", pk=bundle_application.pk)
    return render(request, "bundles/detail.html", {
        "bundle_application": bundle_application,
        "rows": selectors.bundle_progress(bundle_application=bundle_application),
        "notices": documents_for_case(obj=bundle_application).filter(kind=DocumentKinds.RESULT),
        "timeline": timeline_public(obj=bundle_application)})
