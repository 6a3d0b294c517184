import re
from html import unescape

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.attachments.models import Attachment
from apps.core.kept import kept_form_data, login_required_keep_post
from apps.documents.selectors import documents_for_case
from apps.workflow.exceptions import TransitionInvalid, WorkflowError
from apps.workflow.selectors import timeline_public, transitions_available
from apps.workflow.services import transition_perform

from . import selectors, services
from .constants import EDITABLE, ELIGIBILITY_STATEMENTS, MATERIAL_LABELS, NEXT_STEP, OPEN_STATUSES, ReviewStatus, \
    Status
from .forms import ApplicationForm, HonorForm, MaterialForm, ProductForm, ShowcaseFilterForm, SubmitForm
from .models import HonorApplication, Showcase

PAGE_SIZE = 24


def _own(request, pk) -> HonorApplication:
    try:
        return selectors.honor_application_get_for_owner(user=request.user, pk=pk)
    except HonorApplication.DoesNotExist:
        raise Http404 from None


def _content_with_urls(content: dict, url) -> dict:
    """The version's content with the URLs of its images and videos (``url(attachment_id, thumb)``)."""
    products = []
    for product in content.get("products", []):
        products.append({**product,
                         "image_urls": [(url(pk, False), url(pk, True)) for pk in product.get("images", [])],
                         "video_url": url(product["video"], False) if product.get("video") else ""})
    return {**content, "products": products}


# --- public showcase ------------------------------------------------------------------------------------------------

def showcase_list(request):
    form = ShowcaseFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    showcases = selectors.showcases_published(category=data.get("category"), industry=data.get("industry") or "",
                                              district=data.get("district"), search=data.get("q") or "")
    page = Paginator(showcases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "honors/showcase_list.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "invalid": form.is_bound and not form.is_valid(),
    })


def _public_media_url(showcase):
    def url(pk, thumb):
        base = reverse("honors:showcase_media", args=[showcase.pk, pk])
        return f"{base}?thumb=1" if thumb else base
    return url


def showcase_detail(request, pk):
    try:
        showcase = selectors.showcase_get_published(pk=pk)
    except Showcase.DoesNotExist:
        raise Http404 from None
    version = showcase.current_version
    return render(request, "honors/showcase_detail.html", {
        "showcase": showcase, "version": version,
        "content": _content_with_urls(version.content, _public_media_url(showcase)),
    })


def showcase_media(request, pk, attachment_id):
    """Product images and videos of published showcases, to anyone; every other file stays private."""
    try:
        showcase = selectors.showcase_get_published(pk=pk)
        attachment = selectors.showcase_media_get(showcase=showcase, attachment_id=attachment_id)
    except (Showcase.DoesNotExist, Attachment.DoesNotExist):
        raise Http404 from None
    if request.GET.get("thumb") and attachment.thumbnail:
        response = FileResponse(attachment.thumbnail.open("rb"), content_type="image/jpeg")
    else:
        response = FileResponse(attachment.file.open("rb"), content_type=attachment.mime)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=86400"
    return response


# --- the enterprise's side --------------------------------------------------------------------------------------

@login_required
def mine(request):
    applications = selectors.honor_applications_for_enterprise(user=request.user)
    showcase = Showcase.objects.filter(enterprise=request.user).first() if request.user.is_authenticated else None
    return render(request, "honors/mine.html", {
        "applications": applications.select_related("showcase"), "showcase": showcase,
        "open": applications.filter(status__in=[Status.DRAFT, *OPEN_STATUSES]).first(),
    })


@login_required
@require_POST
def start(request):
    try:
        application = services.honor_application_start(applicant=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("honors:mine")
    if application.status in EDITABLE:
        return redirect("honors:edit", pk=application.pk)
    return redirect("honors:detail", pk=application.pk)


def _as_typed(html: str) -> str:
    """A section saved from plain paragraphs is shown again as the paragraphs typed, not as the <p> tags the
    sanitiser wrapped them in (which a person never typed); richer markup is shown as it is."""
    if html and re.fullmatch(r"(?:<p>[^<>]*</p>\s*)+", html):
        return "\n".join(unescape(text) for text in re.findall(r"<p>([^<>]*)</p>", html))
    return html


def _edit_context(application, **bound):
    initial = {field: getattr(application, field) for field in (
        "name", "industry", "contact_phone", "website", "profile", "development", "brand", "products_intro",
        "eligibility_confirmed")}
    for section in ("profile", "development", "brand", "products_intro"):
        initial[section] = _as_typed(initial[section])
    initial["district"] = application.district_id
    media = selectors.application_product_media(application=application)
    products = [(p, media.get(p.pk, {"images": [], "video": None})) for p in application.products.all()]
    materials = selectors.application_materials(application=application)
    return {
        "application": application,
        "main_form": bound.get("main") or ApplicationForm(initial=initial),
        "honor_form": bound.get("honor") or HonorForm(
            prefix="honor", kept=selectors.application_pending_scan(application=application)),
        "product_form": bound.get("product") or ProductForm(prefix="product"),
        "material_form": bound.get("material") or MaterialForm(prefix="material"),
        "honors": selectors.application_honors(application=application),
        "products": products,
        "materials": [(purpose, label, materials.get(purpose)) for purpose, label in MATERIAL_LABELS.items()],
        "eligibility": ELIGIBILITY_STATEMENTS,
        "missing": selectors.application_missing(application=application),
        "returned": [r for r in selectors.reviews_current(application=application)
                     if r.status == ReviewStatus.RETURNED],
    }


def _apply_error(form, error):
    field = error.field if getattr(error, "field", None) in form.fields else None
    form.add_error(field, str(error))


def _typed_initial(form_class, prefix, data) -> dict:
    """What a person typed into a part of the page they did not send (another part's button was pressed): shown
    again as it was, so that nothing typed on the page is lost (issue 19). Files cannot be carried (browsers)."""
    form = form_class(prefix=prefix)
    initial, typed = {}, False
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField) or field.widget.is_hidden:
            continue
        key = form.add_prefix(name)
        value = data.get(key, "")
        if value in ("", None):
            continue
        initial[name] = value
        if not isinstance(field, forms.ChoiceField) or isinstance(field, forms.ModelChoiceField):
            typed = True  # a select that always has a value is not typing
    return initial if typed else {}


def _keep_scan(request, application, form):
    """The honor was refused for another reason than its scan: keep the scan with the draft, so that it need not
    be chosen again (a browser cannot fill a file input)."""
    upload = request.FILES.get(form.add_prefix("scan"))
    if upload is None or "scan" in form.errors:
        return
    upload.seek(0)
    try:
        kept = services.honor_scan_keep(actor=request.user, application=application, upload=upload)
    except TransitionInvalid as error:
        form.add_error("scan", str(error))
    except WorkflowError:
        return
    else:
        form.keep(kept)


@login_required_keep_post
def edit(request, pk):
    """One page for the whole application: the enterprise and its four sections, honors, products, materials.
    The page is one form: whichever button is pressed, the enterprise and its four sections are saved as the draft
    first (the page promises it), then the part the button names is handled; a refused part comes back with what was
    typed, the other parts with what was typed in them, and the files that must be chosen again named."""
    application = _own(request, pk)
    if application.status not in EDITABLE:
        messages.info(request, _("This application has been submitted; here is its progress."))
        return redirect("honors:detail", pk=application.pk)
    if request.method != "POST":
        kept = kept_form_data(request, multi=True)  # typed before the session expired (core.kept)
        if kept is None:
            return render(request, "honors/edit.html", _edit_context(application))
        bound = {"main": ApplicationForm(kept)} if "name" in kept else {}
        for other, form_class in (("honor", HonorForm), ("product", ProductForm), ("material", MaterialForm)):
            if initial := _typed_initial(form_class, other, kept):
                extra = ({"kept": selectors.application_pending_scan(application=application)}
                         if other == "honor" else {})
                bound[other] = form_class(prefix=other, initial=initial, **extra)
        messages.info(request, _("What you typed before your session expired is shown again: press a button to "
                                 "save it."))
        return render(request, "honors/edit.html", _edit_context(application, **bound))
    part = request.POST.get("part")
    forms_by_part = {"main": ApplicationForm, "honor": HonorForm, "product": ProductForm, "material": MaterialForm}
    bound, keep_page = {}, False
    # 1. The draft of the enterprise and its four sections, on every press of every button of the page.
    if "name" in request.POST:
        main = ApplicationForm(request.POST)
        if main.is_valid():
            try:
                application = services.honor_application_update(actor=request.user, application=application,
                                                                 **main.cleaned_data)
            except TransitionInvalid as error:
                _apply_error(main, error)
            except WorkflowError as error:
                main.add_error(None, str(error))
        if main.errors:
            bound["main"], keep_page = main, True
        elif part != "main":
            messages.info(request, _("The enterprise and its four sections were saved as a draft."))
    # 2. Removing an honor or a product (a button of its own row).
    remove = next(((name, request.POST[name]) for name in ("remove_honor", "remove_product") if name in request.POST),
                  (part, request.POST.get("id", "")) if part in ("remove_honor", "remove_product") else None)
    if remove is not None:
        name, target = remove
        if target.isdigit():
            action = services.honor_claim_remove if name == "remove_honor" else services.product_remove
            key = "honor_id" if name == "remove_honor" else "product_id"
            action(actor=request.user, application=application, **{key: int(target)})
            messages.success(request, _("Removed."))
        part, anchor = None, "#honors" if name == "remove_honor" else "#products"
    elif part not in forms_by_part:
        return redirect("honors:edit", pk=application.pk)
    else:
        anchor = {"main": "", "honor": "#honors", "product": "#products", "material": "#materials"}[part]
    # 3. The part whose button was pressed.
    if part in ("honor", "product", "material"):
        extra = {}
        if part == "honor":
            extra["kept"] = selectors.application_pending_scan(
                application=application, attachment_id=request.POST.get("honor-kept_scan") or "-")
        form = forms_by_part[part](request.POST, request.FILES, prefix=part, **extra)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                if part == "honor":
                    kept = extra["kept"]
                    data.pop("kept_scan", None)
                    services.honor_claim_add(actor=request.user, application=application,
                                             kept_scan_id=kept.pk if kept and not data["scan"] else None, **data)
                elif part == "product":
                    services.product_add(actor=request.user, application=application, **data)
                else:
                    services.material_upload(actor=request.user, application=application, purpose=data["purpose"],
                                             upload=data["upload"])
            except TransitionInvalid as error:
                _apply_error(form, error)
            except WorkflowError as error:
                form.add_error(None, str(error))
        if form.errors and part == "honor":
            _keep_scan(request, application, form)
        if form.errors:
            bound[part], keep_page = form, True
        else:
            messages.success(request, {"honor": _("Honor added."), "product": _("Product added."),
                                       "material": _("Material uploaded.")}[part])
    elif part == "main" and "main" not in bound:
        messages.success(request, _("Saved."))
    # 4. What was typed in the parts not sent is shown again as typed.
    for other in ("honor", "product", "material"):
        if other != part and other not in bound and (initial := _typed_initial(forms_by_part[other], other,
                                                                                 request.POST)):
            extra = {"kept": selectors.application_pending_scan(application=application)} if other == "honor" else {}
            bound[other], keep_page = forms_by_part[other](prefix=other, initial=initial, **extra), True
    if not keep_page:
        return redirect(reverse("honors:edit", args=[application.pk]) + anchor)
    has_errors = any(form.is_bound and form.errors for form in bound.values())
    return render(request, "honors/edit.html", _edit_context(application, **bound), status=400 if has_errors else 200)


@login_required
def preview(request, pk):
    """The public page as it will look, for the enterprise and for the staff who review or accept it."""
    try:
        application = selectors.honor_application_get_for_user(user=request.user, pk=pk)
    except HonorApplication.DoesNotExist:
        raise Http404 from None

    def url(attachment_id, thumb):
        base = reverse("attachments:download", args=[attachment_id])
        return f"{base}?thumb=1" if thumb else base

    content = selectors.application_snapshot(application=application)
    return render(request, "honors/showcase_detail.html", {
        "preview": application, "content": _content_with_urls(content, url),
    })


@login_required
def submit(request, pk):
    application = _own(request, pk)
    if application.status not in EDITABLE:
        return redirect("honors:detail", pk=application.pk)
    form = SubmitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.honor_application_submit(actor=request.user, application=application,
                                              declaration=form.cleaned_data["declaration"])
        except TransitionInvalid as error:
            form.add_error("declaration" if error.field == "declaration" else None, str(error))
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Submitted. The departments that grant your honors review it first; then "
                                        "the market supervision bureau decides on acceptance within 5 working days. "
                                        "You get a message at each step, and can follow it on this page."))
            return redirect("honors:detail", pk=application.pk)
    # The summary to check before submitting: everything the departments will read (issue 19).
    context = _edit_context(application)
    return render(request, "honors/submit.html", {
        "application": application, "form": form, "missing": context["missing"], "honors": context["honors"],
        "products": context["products"], "materials": context["materials"],
        "sections": [(ApplicationForm.base_fields[name].label, getattr(application, name))
                     for name in ("profile", "development", "brand", "products_intro")],
    }, status=400 if form.errors else 200)


@login_required
def detail(request, pk):
    application = _own(request, pk)
    reviews = selectors.reviews_current(application=application)
    return render(request, "honors/detail.html", {
        "application": application, "next_step": NEXT_STEP.get(application.status, ""),
        "reviews": reviews, "documents": documents_for_case(obj=application),
        "timeline": timeline_public(obj=application),
        "can_edit": application.status in EDITABLE,
        "can_withdraw": "withdraw" in {t.name for t in transitions_available(user=request.user, obj=application)},
    })


@login_required
def opinion(request, pk, token):
    """A department's written opinion (PDF) on an application: see selectors.review_opinion_get_for_user."""
    from apps.documents.models import Document
    from apps.documents.services import document_render

    try:
        document = selectors.review_opinion_get_for_user(user=request.user, application_pk=pk,
                                                         document_token=token)
    except Document.DoesNotExist:
        raise Http404 from None
    if not document.file:
        document = document_render(document_id=document.pk)  # the worker has not got to it yet
    return FileResponse(document.file.open("rb"), content_type="application/pdf",
                        filename=f"{document.title}-{document.number}.pdf")


@login_required
def withdraw(request, pk):
    """撤回 asks first, on a page of its own that works without scripts; only its own button (``confirm``) reaches
    the one door, transition_perform. From a draft this is how an enterprise discards it."""
    application = _own(request, pk)
    if not (request.method == "POST" and request.POST.get("confirm") == "withdraw"):
        if "withdraw" not in {t.name for t in transitions_available(user=request.user, obj=application)}:
            messages.error(request, _("This application can no longer be withdrawn."))
            return redirect("honors:detail", pk=application.pk)
        return render(request, "honors/withdraw_confirm.html", {"application": application})
    try:
        transition_perform(actor=request.user, obj=application, name="withdraw")
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Withdrawn."))
    return redirect("honors:detail", pk=application.pk)
