from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.workflow.exceptions import TransitionInvalid, WorkflowError
from apps.workflow.selectors import timeline_public, transitions_available
from apps.workflow.services import transition_perform

from . import selectors, services
from .constants import NEXT_STEP, ORGANISATION_TYPES, Status, appeal_headers
from .forms import SupplementForm, RequestForm
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
    from apps.accounts.constants import AccountKind

    form = RequestForm(request.POST or None, initial=initial, organisation=request.user.kind == AccountKind.ENTERPRISE)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.information_request_submit(
                requester=request.user, department=data["department"], description=data["description"],
                document_number=data["document_number"], info_format=data["info_format"],
                delivery=data["delivery"], phone=data["phone"], email=data["email"], address=data["address"],
                organisation_type=data.get("organisation_type", ""))
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
    form = SupplementForm(request.POST or None) if obj.status == Status.SUPPLEMENT_REQUESTED else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            transition_perform(actor=request.user, obj=obj, name="supplement",
                               params=services.Supplemented(text=form.cleaned_data["text"]))
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your clarification was sent; the 20 working days count from today."))
            return redirect("information_requests:detail", pk=obj.pk)
    return render(request, "information_requests/detail.html", {
        "obj": obj, "next_step": NEXT_STEP.get(obj.status), "timeline": timeline_public(obj=obj),
        "documents": selectors.information_request_documents(request=obj), "supplement_form": form,
        "answer_files": selectors.information_request_answer_files(request=obj),
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


def _report_query(request):
    from django.utils import timezone

    from apps.organizations.models import Department

    departments = Department.objects.order_by("name")
    raw = request.GET.get("department") or ""
    department = departments.filter(pk=raw).first() if raw.isdigit() else None
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2008), timezone.localdate().year)  # the Regulations apply from 2008
    return departments, department, year


def annual_report_xlsx(request):
    """The same table as an xlsx workbook (tables 三 and 四 of the annual report), for the agency's report."""
    import io

    from django.http import HttpResponse
    from openpyxl import Workbook

    _departments, department, year = _report_query(request)
    if department is None:
        raise Http404
    report = selectors.annual_report(department=department, year=year)
    book = Workbook()
    sheet = book.active
    sheet.title = str(year)
    sheet.append([f"{department.full_name or department.name} {year}"])
    types = [str(t.label) for t in ORGANISATION_TYPES]
    sheet.append([str(_("Item")), str(_("Natural persons")), str(_("Legal persons and other organisations")),
                  *[""] * (len(types) - 1), str(_("Total"))])
    sheet.append(["", "", *types, ""])
    sheet.merge_cells(start_row=2, start_column=3, end_row=2, end_column=2 + len(types))
    for label, line in report_lines(report):
        sheet.append([str(label), *line["values"]])
    if report["appeals"]:
        sheet.append([])
        sheet.append([str(_("Reconsiderations and lawsuits (table 4)"))])
        sheet.append(appeal_headers())
        sheet.append(report["appeals"])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type="application/vnd.openxmlformats-officedocument."
                                                         "spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="information-requests-{department.pk}-{year}.xlsx"'
    return response


def report_lines(report) -> list[tuple[str, dict]]:
    """The table's lines in the template's order, each (label, {values: the seven figures, heading, item})."""
    from .constants import RequesterType

    order = [*RequesterType.values, "total"]

    def line(cells, **flags):
        return {"values": [cells[c] for c in order], **flags}

    lines = [(_("1. Requests newly received this year"), line(report["received"])),
             (_("2. Carried over from the previous year"), line(report["carried_in"])),
             (_("3. Results this year"), {"values": [""] * len(order), "heading": True})]
    for row in report["rows"]:
        number = str(row["number"])
        lines.append((f"{number}{'' if number.startswith('（') else ' '}{row['label']}",
                      line(row["cells"], heading=row["heading"], item=number.endswith("."))))
    lines += [(_("(7) Total handled"), line(report["results_total"], heading=True)),
              (_("4. Carried into the next year"), line(report["carried_out"]))]
    return lines


def annual_report(request):
    """Public: an agency's table of requests for a year, as its annual report prints it (counts only, no names)."""
    from django.utils import timezone

    departments, department, year = _report_query(request)
    report = selectors.annual_report(department=department, year=year) if department else None
    return render(request, "information_requests/report.html", {
        "departments": departments, "department": department, "year": year, "report": report,
        "appeal_headers": appeal_headers(), "report_lines": report_lines(report) if report else None,
        "organisation_types": ORGANISATION_TYPES,
        "years": range(timezone.localdate().year, 2019, -1)})
