from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.workflow.exceptions import TransitionInvalid, WorkflowError
from apps.workflow.selectors import timeline_public, transitions_available
from apps.workflow.services import transition_perform

from . import selectors, services
from .constants import NEXT_STEP, Status
from .forms import ClarifyForm, RequestForm
from .models import InformationRequest


def _own(request, pk) -> InformationRequest:
    try:
        return selectors.information_request_get_for_user(user=request.user, pk=pk)
    except InformationRequest.DoesNotExist:
        raise Http404 from None


@login_required
def mine(request):
    rows = selectors.information_request_list_for_requester(user=request.user)
    return render(request, "information_requests/mine.html", {"rows": rows})


@login_required
def new(request):
    initial = {"phone": request.user.phone or "", "email": request.user.email}
    form = RequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.information_request_submit(
                requester=request.user, department=data["department"], description=data["description"],
                document_number=data["document_number"], info_format=data["info_format"],
                delivery=data["delivery"], phone=data["phone"], email=data["email"], address=data["address"])
        except TransitionInvalid as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("Your request was received under reference %(ref)s. The agency answers "
                                        "within 20 working days.") % {"ref": created.reference})
            return redirect("information_requests:detail", pk=created.pk)
    return render(request, "information_requests/new.html", {"form": form})


@login_required
def detail(request, pk):
    obj = _own(request, pk)
    form = ClarifyForm(request.POST or None) if obj.status == Status.SUPPLEMENT_REQUESTED else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            transition_perform(actor=request.user, obj=obj, name="clarify",
                               params=services.Clarified(text=form.cleaned_data["text"]))
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your clarification was sent; the 20 working days count from today."))
            return redirect("information_requests:detail", pk=obj.pk)
    return render(request, "information_requests/detail.html", {
        "obj": obj, "next_step": NEXT_STEP.get(obj.status), "timeline": timeline_public(obj=obj),
        "documents": selectors.information_request_documents(request=obj), "clarify_form": form,
        "can_withdraw": "withdraw" in {t.name for t in transitions_available(user=request.user, obj=obj)},
    })


@login_required
def withdraw(request, pk):
    """Withdrawing cannot be undone: a page of its own says so and asks to confirm (no JavaScript needed)."""
    obj = _own(request, pk)
    if request.method == "POST":
        try:
            transition_perform(actor=request.user, obj=obj, name="withdraw")
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your request was withdrawn."))
        return redirect("information_requests:detail", pk=obj.pk)
    return render(request, "information_requests/withdraw.html", {"obj": obj})


def annual_report(request):
    """Public: an agency's table of requests for a year, as its annual report prints it (counts only, no names)."""
    from django.utils import timezone

    from apps.organizations.models import Department

    departments = Department.objects.order_by("name")
    department = departments.filter(pk=request.GET.get("department") or 0).first() if (
        request.GET.get("department") or "").isdigit() else None
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2008), timezone.localdate().year)  # the Regulations apply from 2008
    report = selectors.annual_report(department=department, year=year) if department else None
    return render(request, "information_requests/report.html", {
        "departments": departments, "department": department, "year": year, "report": report,
        "years": range(timezone.localdate().year, 2019, -1)})
